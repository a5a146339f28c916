"""The audit chain's hashes: the same canonical JSON bytes as ever (the chains of existing databases still verify),
whatever the values an event carries, and a chain of recorded events verifies until one of them is changed."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any

import pytest
from tortoise.transactions import in_transaction

from domain.enums import AcknowledgementKind as AK
from domain.models import AuditEvent
from workflows.audit import PendingEvent, canonical_json, event_hash, record_events, verify_chain

AT = datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=UTC)


class Colour(Enum):
    RED = "red"


class Level(IntEnum):
    HIGH = 3


@pytest.mark.parametrize(("event", "digest"), [
    (("0" * 64, 1, AT, "acknowledgement.remind", None, "Acknowledgement", "0190a7e2-0000-7000-8000-000000000001",
      {"kind": "PURCHASE_ORDER", "number": "PO-2026-0001", "reminder": 1}),
     "b3746c6ea48e8a49ef13c6249bb53a264044b4efe68770576771efeeb55057a6"),
    (("ab" * 32, 2, AT, "statement.issue", "0190a7e2-0000-7000-8000-000000000002", "Statement", None,
      {"total": Decimal("1234.50"), "kind": AK.STATEMENT, "lines": [1.5, '对账单 "引号"\n', None], "at": AT}),
     "5503e7c14bd6f8cca4fcb13c97b93cf2067c80124bf02c16b7abf9959e5bbbcb"),
])
def test_an_event_hashes_as_it_always_has(event: tuple, digest: str) -> None:
    assert event_hash(*event) == digest  # digests made by the first implementation, on which every chain rests


@pytest.mark.parametrize("value", [
    {"number": "PO-2026-0001", "reminder": 1, "accepted": True, "reason": None},
    {"z": {"b": [1, {"y": 2, "x": ()}], "a": (None, False)}, "A": [], "": {}},
    {"说明": "合同 HT-2026-0001 «引号» \"quoted\" back\\slash", "emoji": "🙂\U0010ffff", "é": "\u2028\u2029\x7f"},
    {"control": "".join(chr(c) for c in range(32)), "tab\tkey": "\u00ff"},
    {"big": 2**64, "small": -(2**63) - 1, "edge": [2**64 - 1, -(2**63)]},
    {"float": 1e16, "tiny": 1e-05, "third": 1 / 3, "whole": 2.0},
    {"amount": Decimal("12.50"), "at": AT, "day": date(2026, 3, 1), "id": uuid.UUID(int=7)},
    {"kind": AK.CONTRACT, "colour": Colour.RED, "level": Level.HIGH},
    {1: "int key", 2: "another"},
    ["a list", {"of": "things"}, 3],
    "just text",
])
def test_canonical_json_is_json_dumps_with_sorted_keys_whatever_the_values(value: Any) -> None:
    expected = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    assert canonical_json(value) == expected.encode("utf-8")


@pytest.mark.usefixtures("demo")
async def test_recorded_events_verify_until_one_is_changed() -> None:
    events = [
        PendingEvent(AT, None, "audit.test", "Test", uuid.uuid4(), data={"n": 1, "note": "普通"}),
        PendingEvent(AT, None, "audit.test", "Test", uuid.uuid4(), data={"kind": AK.CONTRACT, "levels": (1, 2)}),
        PendingEvent(AT, None, "audit.test", "Test", None),
    ]
    with pytest.raises(LookupError):  # leaves the session's chain as it was
        async with in_transaction() as connection:
            assert await record_events(connection, events) == 3
            assert (await verify_chain(connection))[0]
            last = await AuditEvent.filter(action="audit.test").using_db(connection).order_by("-seq").first()
            await AuditEvent.filter(id=last.id).using_db(connection).update(data={"changed": True})
            assert not (await verify_chain(connection))[0]
            raise LookupError("roll back")
