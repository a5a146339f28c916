"""Idempotency keys: a retried create returns the first result; a reused key with other input is refused."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.enums import OrgKind, Role
from domain.errors import Conflict, ValidationFailed
from domain.models import IdempotencyKey, Tender, User
from workflows.idempotency import MAX_KEY_LENGTH, create_once

pytestmark = pytest.mark.usefixtures("demo")


async def procurement() -> Actor:
    user = await User.get(email="procurement@buyer.example")
    return Actor(user.id, user.organization_id, OrgKind.BUYER, frozenset({Role.PROCUREMENT}), user.email)


def creator(title: str, delay: float = 0.0):  # noqa: ANN201
    async def create(connection):  # noqa: ANN001, ANN202
        owner = await User.get(email="procurement@buyer.example").using_db(connection)
        tender = await Tender.create(number=f"I-{uuid.uuid4().hex[:12]}", title=title, owner=owner,
                                     closes_at=datetime.now(UTC) + timedelta(days=1), using_db=connection)
        await asyncio.sleep(delay)  # widen the window in which a concurrent retry arrives
        return tender

    return create


async def load(tender_id: uuid.UUID) -> Tender:
    return await Tender.get(id=tender_id)


async def test_a_retry_with_the_same_key_returns_the_first_record() -> None:
    actor, key = await procurement(), uuid.uuid4().hex
    first, created = await create_once(actor, "createTender", key, {"title": "a"}, creator("a"), load)
    again, created_again = await create_once(actor, "createTender", key, {"title": "a"}, creator("a"), load)
    assert created and not created_again and again.id == first.id
    assert await Tender.filter(title="a", id=first.id).count() == 1


async def test_the_same_key_with_other_input_is_refused() -> None:
    actor, key = await procurement(), uuid.uuid4().hex
    await create_once(actor, "createTender", key, {"title": "b"}, creator("b"), load)
    with pytest.raises(Conflict) as refused:
        await create_once(actor, "createTender", key, {"title": "c"}, creator("c"), load)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED" and refused.value.field == "idempotencyKey"
    assert not await Tender.filter(title="c").exists()


async def test_keys_are_per_operation_and_without_a_key_every_call_creates() -> None:
    actor, key = await procurement(), uuid.uuid4().hex
    one, _ = await create_once(actor, "createTender", key, {}, creator("d"), load)
    two, created = await create_once(actor, "otherOperation", key, {}, creator("d"), load)
    assert created and one.id != two.id
    three, _ = await create_once(actor, "createTender", None, {}, creator("d"), load)
    assert three.id not in (one.id, two.id)


@pytest.mark.parametrize("key", ["", "   ", "x" * (MAX_KEY_LENGTH + 1), "tab\tkey"])
async def test_a_malformed_key_is_refused(key: str) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await create_once(await procurement(), "createTender", key, {}, creator("e"), load)
    assert refused.value.field == "idempotencyKey"
    assert not await Tender.filter(title="e").exists()


async def test_concurrent_retries_create_one_record() -> None:
    actor, key = await procurement(), uuid.uuid4().hex
    title = f"concurrent-{key[:8]}"
    results = await asyncio.gather(*[
        create_once(actor, "createTender", key, {"title": title}, creator(title, delay=0.05), load)
        for _ in range(3)])
    assert len({record.id for record, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    assert await Tender.filter(title=title).count() == 1
    assert await IdempotencyKey.filter(key=key).count() == 1
