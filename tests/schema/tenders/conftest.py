"""Fixtures for the tender mutations over GraphQL: a client whose clock the test holds, signing with the session's
document service, and tenders addressed to the demo suppliers A and B (whose users have tokens)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from domain.clock import FrozenClock
from domain.models import Organization, Tender
from tests.conftest import Api, client_for
from tests.support import tenders as t

PROCUREMENT = "procurement@buyer.example"
SUPPLIER_A, SUPPLIER_B, SUPPLIER_C = "sales@supplier-a.example", "sales@supplier-b.example", "sales@supplier-c.example"


@pytest.fixture
def clock() -> FrozenClock:
    return t.frozen_now()


@pytest.fixture
async def client(settings, clock: FrozenClock, service, demo) -> AsyncIterator[Api]:  # noqa: ANN001
    with client_for(settings, clock=clock, service=service) as api:
        async with api.client:
            yield api


@pytest.fixture
def as_user(client: Api, token_for):  # noqa: ANN001, ANN201
    """`await as_user(email)`: the client, authenticated as that demo user."""

    async def get(email: str) -> Api:
        return client.as_user(await token_for(email))

    return get


async def demo_suppliers(*codes: str) -> list:
    return [await t.supplier_of(code) for code in codes]


async def published_to_a_and_b(clock: FrozenClock, *, closes_in: timedelta = timedelta(hours=1),
                               lines: int = 2) -> Tender:
    """A new tender published to demo suppliers A and B (not C)."""
    return await t.published_tender(clock, await demo_suppliers("SUP-A", "SUP-B"), closes_in=closes_in, lines=lines)


async def org_id(code: str) -> str:
    return str((await Organization.get(code=code)).id)


async def mutate(api: Api, query: str, variables: dict, name: str) -> dict:
    """The payload of mutation `name`, which must not fail at the top level."""
    return (await api.query(query, variables))[name]


def codes(payload: dict) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]
