"""The audit trail: every state change appends one event, in the same transaction, chained by hash."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from tortoise.backends.base.client import BaseDBAsyncClient

from domain.actors import Actor
from domain.ids import new_id
from domain.models import AuditChainHead, AuditEvent
from workflows.bulk import insert_rows

GENESIS = "0" * 64
HEAD_ID = 1


def event_hash(prev_hash: str, seq: int, at: datetime, action: str, actor_user: str | None,
               subject_type: str, subject_id: str | None, data: dict[str, Any]) -> str:
    """sha256 over the previous hash and the event's canonical JSON: changing any past event breaks every later hash."""
    return hashlib.sha256(canonical_json(
        {"prev": prev_hash, "seq": seq, "at": at.isoformat(), "action": action, "actor": actor_user,
         "subject_type": subject_type, "subject_id": subject_id, "data": data},
    )).hexdigest()


def canonical_json(value: Any) -> bytes:
    """`value` as the chain has always hashed it: `json.dumps` with sorted keys, no spaces, UTF-8 unescaped, and
    `str` of anything JSON has no type for.

    orjson writes the very same bytes for plain JSON (exact `str`, `int`, `bool`, None, lists, tuples, and dicts with
    `str` keys), several times faster: events are hashed by the thousand. Anything else (an enum, a Decimal, a float,
    whose text the two libraries may write differently) goes through `json.dumps`, as does an integer beyond 64 bits,
    which orjson refuses."""
    if _plain(value):
        try:
            return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)
        except orjson.JSONEncodeError:
            pass
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str).encode("utf-8")


_SCALARS = frozenset({str, int, bool, type(None)})


def _plain(value: Any) -> bool:
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is dict:
        for key, item in value.items():
            if type(key) is not str or (type(item) not in _SCALARS and not _plain(item)):
                return False
        return True
    if kind is list or kind is tuple:
        for item in value:
            if type(item) not in _SCALARS and not _plain(item):
                return False
        return True
    return False


async def ensure_chain_head(connection: BaseDBAsyncClient | None = None) -> None:
    """Create the chain's head row once (migrate calls this), so appends only ever lock and update it."""
    if not await AuditChainHead.filter(id=HEAD_ID).using_db(connection).exists():
        await AuditChainHead.create(id=HEAD_ID, seq=0, hash=GENESIS, using_db=connection)


@dataclass(frozen=True)
class PendingEvent:
    """An event to append: what happened, to which record, by whom, when."""

    at: datetime
    actor: Actor | None
    action: str
    subject_type: str
    subject_id: uuid.UUID | None = None
    supplier_id: uuid.UUID | None = None
    data: dict[str, Any] = field(default_factory=dict)


async def record_events(connection: BaseDBAsyncClient, events: Sequence[PendingEvent]) -> int:
    """Append `events` in order inside the caller's transaction `connection`.

    Locks the chain head once, so concurrent writers extend one chain and never fork it.
    """
    if not events:
        return 0
    head = await AuditChainHead.filter(id=HEAD_ID).using_db(connection).select_for_update().first()
    if head is None:
        raise RuntimeError("audit chain head missing: run `portal migrate`")
    seq, prev = head.seq, head.hash
    rows: list[dict[str, Any]] = []
    for event in events:
        seq += 1
        actor_user = str(event.actor.user_id) if event.actor else None
        digest = event_hash(prev, seq, event.at, event.action, actor_user, event.subject_type,
                            str(event.subject_id) if event.subject_id else None, event.data)
        rows.append({
            "id": new_id(), "seq": seq, "created_at": event.at, "action": event.action,
            "actor_user_id": event.actor.user_id if event.actor else None,
            "actor_org_id": event.actor.org_id if event.actor else None, "subject_type": event.subject_type,
            "subject_id": event.subject_id, "supplier_id": event.supplier_id, "data": event.data, "prev_hash": prev,
            "hash": digest,
        })
        prev = digest
    await insert_rows(connection, AuditEvent, rows)
    await AuditChainHead.filter(id=HEAD_ID).using_db(connection).update(seq=seq, hash=prev)
    return len(rows)


async def record_event(
    connection: BaseDBAsyncClient,
    *,
    at: datetime,
    actor: Actor | None,
    action: str,
    subject_type: str,
    subject_id: uuid.UUID | None = None,
    supplier_id: uuid.UUID | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Append one event inside the caller's transaction `connection`."""
    event = PendingEvent(at=at, actor=actor, action=action, subject_type=subject_type, subject_id=subject_id,
                         supplier_id=supplier_id, data=data or {})
    await record_events(connection, [event])


async def verify_chain(connection: BaseDBAsyncClient | None = None, batch: int = 1000) -> tuple[bool, int]:
    """Recompute every hash in order. Returns (intact, number of events checked); stops at the first break."""
    prev, checked, last_seq = GENESIS, 0, 0
    while True:
        events = await AuditEvent.filter(seq__gt=last_seq).using_db(connection).order_by("seq").limit(batch)
        if not events:
            return True, checked
        for event in events:
            expected = event_hash(prev, event.seq, event.created_at, event.action,
                                  str(event.actor_user_id) if event.actor_user_id else None, event.subject_type,
                                  str(event.subject_id) if event.subject_id else None, event.data)
            if event.prev_hash != prev or event.hash != expected or event.seq != last_seq + 1:
                return False, checked
            prev, last_seq, checked = event.hash, event.seq, checked + 1
