"""Idempotency keys: a retried create request returns what the first one created, and creates nothing twice.

The key is remembered in the same transaction as the record it created, under a unique (user, operation, key), so two
concurrent requests with one key cannot both commit: the second fails on the key, rolls back, and returns the first's
record. A key reused with different input is refused: it is a client bug, and guessing would hide it.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.models import Model
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.errors import Conflict, DomainError, ValidationFailed
from domain.models import IdempotencyKey

MAX_KEY_LENGTH = 128
FIELD = "idempotencyKey"

R = TypeVar("R", bound=Model)


def request_digest(request: Any) -> str:
    """sha256 of the request's canonical JSON (keys sorted; Decimals, dates and UUIDs as strings)."""
    canonical = json.dumps(request, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _checked(key: str) -> str:
    key = key.strip()
    if not (1 <= len(key) <= MAX_KEY_LENGTH) or not key.isprintable():
        raise ValidationFailed(f"an idempotency key has 1 to {MAX_KEY_LENGTH} printable characters", field=FIELD)
    return key


async def _earlier(actor: Actor, operation: str, key: str, digest: str) -> uuid.UUID | None:
    row = await IdempotencyKey.get_or_none(user_id=actor.user_id, operation=operation, key=key)
    if row is None:
        return None
    if row.request_hash and row.request_hash != digest:
        raise Conflict(f"the idempotency key {key!r} was already used for a different {operation} request",
                       field=FIELD, code="IDEMPOTENCY_KEY_REUSED")
    return row.subject_id


async def replayed(actor: Actor, operation: str, key: str | None, request: Any,
                   load: Callable[[uuid.UUID], Awaitable[R]]) -> R | None:
    """The record an earlier request with this key created (IDEMPOTENCY_KEY_REUSED if its input differed), or None
    for no key or a new one. With `remember`, for a workflow whose transaction is not one `create_once` can open (it
    renders and signs before it); `create_once` does both itself."""
    if key is None:
        return None
    earlier = await _earlier(actor, operation, _checked(key), request_digest(request))
    return None if earlier is None else await load(earlier)


async def remember(connection: BaseDBAsyncClient, actor: Actor, operation: str, key: str | None, request: Any,
                   subject_id: uuid.UUID) -> None:
    """Keep the key (if any) with the record it created, in the transaction that creates it: of two requests with
    one key, the second fails here on the unique (user, operation, key), and its caller asks `replayed` again."""
    if key is None:
        return
    await IdempotencyKey.create(user_id=actor.user_id, operation=operation, key=_checked(key), subject_id=subject_id,
                                request_hash=request_digest(request), using_db=connection)


async def create_once(actor: Actor, operation: str, key: str | None, request: Any,
                      create: Callable[[BaseDBAsyncClient], Awaitable[R]],
                      load: Callable[[uuid.UUID], Awaitable[R]]) -> tuple[R, bool]:
    """Run `create` in a transaction, once per (actor's user, operation, key). Returns (record, created now).

    Without a key, simply runs `create` in a transaction. `load` fetches the earlier record by id on a replay."""
    if key is None:
        async with in_transaction() as connection:
            return await create(connection), True
    key = _checked(key)
    digest = request_digest(request)
    if (earlier := await _earlier(actor, operation, key, digest)) is not None:
        return await load(earlier), False
    try:
        async with in_transaction() as connection:
            record = await create(connection)
            await IdempotencyKey.create(user_id=actor.user_id, operation=operation, key=key, subject_id=record.pk,
                                        request_hash=digest, using_db=connection)
    except (IntegrityError, DomainError):
        # Either a concurrent request with the same key committed first (which `create` may also notice as a
        # duplicate of what it is about to make, and refuse), or `create` failed on its own.
        if (earlier := await _earlier(actor, operation, key, digest)) is None:
            raise
        return await load(earlier), False
    return record, True
