"""Opening the database and applying the committed aerich migrations (SQLite by default, PostgreSQL at scale)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from aerich import Command
from tortoise import Tortoise, connections

from workflows.audit import ensure_chain_head

MODEL_MODULES = ["domain.models", "aerich.models"]
MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def normalise_url(url: str) -> str:
    """Tortoise spells PostgreSQL `postgres://`; SQLite gets WAL-friendly pragmas unless the URL sets its own."""
    if url.startswith("postgresql://"):
        url = "postgres://" + url[len("postgresql://"):]
    if url.startswith("sqlite://") and "?" not in url and url != "sqlite://:memory:":
        url += "?busy_timeout=10000&synchronous=NORMAL"
    return url


def tortoise_config(url: str) -> dict:
    return {
        "connections": {"default": normalise_url(url)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


# For the aerich CLI (`aerich migrate` when a model changes): pyproject's [tool.aerich] points here.
AERICH_CONFIG = tortoise_config("sqlite://var/portal.sqlite3")


def ensure_sqlite_directory(url: str) -> None:
    if url.startswith("sqlite://") and ":memory:" not in url:
        path = Path(url[len("sqlite://"):].split("?")[0])
        path.parent.mkdir(parents=True, exist_ok=True)


async def open_database(url: str) -> None:
    """Connect the ORM. The context is process-wide so that uvicorn's lifespan and request tasks share it."""
    ensure_sqlite_directory(url)
    await Tortoise.init(config=tortoise_config(url), _enable_global_fallback=True)
    if url.startswith("sqlite://"):
        # Let SQLite refresh the planner's statistics where they are missing or stale (cheap; see its docs).
        await connections.get("default").execute_script("PRAGMA optimize=0x10002")


async def close_database() -> None:
    await Tortoise.close_connections()


async def migrate(url: str) -> list[str]:
    """Apply every committed migration not yet applied; returns the names of those applied now."""
    ensure_sqlite_directory(url)
    command = Command(tortoise_config=tortoise_config(url), app="models", location=str(MIGRATIONS_DIR))
    try:
        await command.init()
        applied = await command.upgrade(run_in_transaction=True)
        await ensure_chain_head()
        return applied
    finally:
        await Tortoise.close_connections()


def database_name(url: str) -> str:
    """The database a PostgreSQL URL names (its path without the slash), its options left out."""
    return urlsplit(url).path.lstrip("/")


def with_database_name(url: str, name: str) -> str:
    """`url` naming the database `name` instead: same server, user and options."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


async def _postgres_admin(url: str, *statements: str) -> None:
    import asyncpg

    admin = await asyncpg.connect(with_database_name(normalise_url(url).replace("postgres://", "postgresql://", 1),
                                                     "postgres"))
    try:
        for statement in statements:
            await admin.execute(statement)
    finally:
        await admin.close()


async def recreate_postgres_database(url: str) -> None:
    """Drop the PostgreSQL database `url` names, if it exists, and create it empty (scratch and benchmark databases)."""
    name = database_name(url)
    await _postgres_admin(url, f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"')


async def drop_postgres_database(url: str) -> None:
    await _postgres_admin(url, f'DROP DATABASE IF EXISTS "{database_name(url)}"')
