"""Test fixtures: one database per test session, holding the demo world, and an ASGI client for the API.

SQLite (a temporary file) by default; PostgreSQL when PORTAL_TEST_DATABASE_URL is set. The PostgreSQL database named
there is wiped at the start of the session: point it at a database kept for tests. When pytest-xdist runs the suite in
several processes (`make test` does), each has its own session and database: on PostgreSQL, the named database with
the worker's name after it (`portal_test_gw0`), created afresh on the same server.
"""

from __future__ import annotations

import logging
import os
import uuid
from datetime import UTC, datetime
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.documents import DocumentServices
from api.database import (
    close_database,
    database_name,
    migrate,
    open_database,
    recreate_postgres_database,
    with_database_name,
)
from api.settings import Settings
from domain.clock import Clock, SystemClock
from domain.actors import Actor
from domain.clock import FrozenClock
from domain.enums import OrgKind, Role
from domain.models import Organization, User
from workflows.demo import DEMO_PASSWORD, DemoSummary, build_demo
from workflows.documents import keyring, subjects
from workflows.documents.issuing import DocumentService
from workflows.documents.pki import MasterKey
from workflows.documents.renderer import DocumentRenderer
from workflows.documents.storage import LocalFileStore

XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1… in a pytest-xdist worker, else empty


def sibling_database(url: str, suffix: str) -> str:
    """`url` naming its database with `_suffix` added, on the same server: `portal_test` -> `portal_test_gw0`."""
    return with_database_name(url, f"{database_name(url)}_{suffix}")


def _worker_database(url: str) -> str:
    return sibling_database(url, XDIST_WORKER) if url and XDIST_WORKER else url


TEST_DATABASE_URL = _worker_database(os.environ.get("PORTAL_TEST_DATABASE_URL", ""))


def on_postgres() -> bool:
    return TEST_DATABASE_URL.startswith(("postgres://", "postgresql://"))


async def wipe_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        await connection.execute("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;")
    finally:
        await connection.close()


async def fresh_database(url: str) -> None:
    """Empty the database at `url` and apply the migrations."""
    if url.startswith("sqlite://"):
        path = Path(url[len("sqlite://"):].split("?")[0])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif XDIST_WORKER:
        await recreate_postgres_database(url)
    else:
        await wipe_postgres(url)
    await migrate(url)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("portal-data")


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    url = TEST_DATABASE_URL or f"sqlite://{(data_dir / 'test.sqlite3').as_posix()}"
    return Settings(env="test", data_dir=data_dir, database_url=url)


@pytest.fixture(scope="session")
async def demo(settings: Settings) -> AsyncIterator[DemoSummary]:
    """The demo world, built once per session. Tests only add to it (new users, tokens), never change it."""
    await fresh_database(settings.database_url)
    await open_database(settings.database_url)
    try:
        yield await build_demo()
    finally:
        await close_database()


@dataclass
class Api:
    """A GraphQL client of the app, over ASGI, as one caller at one address."""

    client: httpx.AsyncClient
    token: str | None = None

    async def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None,
                   **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if (token or self.token) is not None:
            headers["Authorization"] = f"Bearer {token or self.token}"
        body: dict[str, Any] = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return await self.client.post("/graphql", json=body, headers=headers, **kwargs)

    async def query(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict:
        """The `data` of a query that must succeed."""
        response = await self.post(query, variables, token)
        body = response.json()
        assert response.status_code == 200 and "errors" not in body, body
        return body["data"]

    def as_user(self, token: str) -> Api:
        return replace(self, token=token)


@contextmanager
def client_for(settings: Settings, clock: Clock | None = None, address: str = "203.0.113.10",
               service: DocumentService | None = None) -> Iterator[Api]:
    """An API client; mutations that sign use `service` (the session's), else one the app would build itself."""
    clock = clock or SystemClock()
    app = create_app(settings, clock=clock, manage_database=False,
                     documents=DocumentServices(settings, clock, service) if service else None)
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    yield Api(httpx.AsyncClient(transport=transport, base_url="http://portal.test"))


@pytest.fixture
async def api(settings: Settings, demo: DemoSummary) -> AsyncIterator[Api]:
    with client_for(settings, address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as api:
        async with api.client:
            yield api


LOGIN = "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token errors { code message } } }"


async def login(api: Api, email: str, password: str = DEMO_PASSWORD) -> str:
    data = await api.query(LOGIN, {"e": email, "p": password})
    assert data["login"]["token"], data["login"]["errors"]
    return data["login"]["token"]


@pytest.fixture(scope="session")
def token_cache() -> dict[str, str]:
    return {}


@pytest.fixture
def token_for(api: Api, token_cache: dict[str, str]):
    """A session token of a demo user, logged in once per test session (Argon2 is slow on purpose)."""

    async def get(email: str) -> str:
        if email not in token_cache:
            token_cache[email] = await login(api, email)
        return token_cache[email]

    return get


class SqlCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each one at DEBUG on `tortoise.db_client`)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.statements.append(record.getMessage())

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_sql() -> Iterator[SqlCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter, level = SqlCounter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


# -- signed documents: one renderer, master key and document service per session, shared by the workflow and HTTP
# -- tests (the keys they create are sealed under this master key).

@pytest.fixture(scope="session")
async def renderer() -> AsyncIterator[DocumentRenderer]:
    async with DocumentRenderer(workers=2) as started:
        yield started


@pytest.fixture(scope="session")
def master() -> MasterKey:
    return MasterKey.generate()


@pytest.fixture(scope="session")
async def service(demo, renderer: DocumentRenderer, master: MasterKey, settings) -> DocumentService:  # noqa: ANN001
    """Files go where the app serves them from (the session's PORTAL_DATA_DIR), so the HTTP tests can share it."""
    clock = FrozenClock(datetime.now(UTC).replace(microsecond=0))
    await keyring.init_keys(master, clock.now())
    for supplier in await Organization.filter(kind=OrgKind.SUPPLIER):
        await keyring.ensure_organization_key(supplier, master, clock.now())
    store = LocalFileStore(settings.files_dir)
    return DocumentService(store=store, renderer=renderer, master=master, clock=clock,
                           letterhead=subjects.letterhead_of(await subjects.buyer_organization()),
                           verify_url="https://portal.test/verify")


async def supplier_actor(organization_id) -> Actor:  # noqa: ANN001
    user = await User.filter(organization_id=organization_id).order_by("created_at").first()
    return Actor(user.id, organization_id, OrgKind.SUPPLIER, frozenset(Role(r) for r in user.roles), user.email)


