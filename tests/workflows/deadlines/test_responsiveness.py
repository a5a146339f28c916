"""A supplier's responsiveness: counts, on-time share and median answer time over a window, in two queries for any
number of suppliers, and visible to buyer staff and the supplier itself only."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.enums import AcknowledgementKind as AK, AcknowledgementStatus as AS
from domain.errors import DomainError
from domain.models import Acknowledgement, User
from tests.conftest import count_sql
from tests.support import procurement as p
from tests.support.tenders import new_supplier
from workflows.deadlines.responsiveness import responsiveness_of

pytestmark = pytest.mark.usefixtures("demo")

NOW = datetime(2026, 11, 20, 8, tzinfo=UTC)


def days_ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


async def acknowledgement(supplier: Actor, status: AS, sent: float, due: float,
                          answered: float | None = None) -> Acknowledgement:
    """An acknowledgement of `supplier` sent `sent` days ago, due `due` days ago (negative: ahead), answered
    `answered` days ago."""
    owner = await User.get(email=p.PROCUREMENT)
    return await Acknowledgement.create(
        kind=AK.PURCHASE_ORDER, subject_type="PurchaseOrder", subject_id=uuid.uuid4(), subject_number="PO-TEST",
        supplier_id=supplier.org_id, owner_id=owner.id, status=status, created_at=days_ago(sent),
        due_at=days_ago(due), answered_at=None if answered is None else days_ago(answered))


async def test_counts_share_and_median_over_the_window() -> None:
    supplier = await new_supplier("FASTENERS")
    await acknowledgement(supplier, AS.ACKNOWLEDGED, 10, 8, answered=9)  # on time, 24 h
    await acknowledgement(supplier, AS.REJECTED, 20, 18, answered=19.5)  # on time, 12 h
    await acknowledgement(supplier, AS.ACKNOWLEDGED, 30, 28, answered=26)  # late, 96 h
    await acknowledgement(supplier, AS.OVERDUE, 5, 3)  # late, still open
    await acknowledgement(supplier, AS.PENDING, 1, -1)  # not due yet: no outcome
    await acknowledgement(supplier, AS.CANCELLED, 4, 2)  # withdrawn: left out
    await acknowledgement(supplier, AS.ACKNOWLEDGED, 200, 198, answered=199)  # before the window
    await acknowledgement(supplier, AS.ESCALATED, 300, 298)  # before the window, but overdue now

    record = (await responsiveness_of(await p.actor(p.PROCUREMENT), [supplier.org_id], now=NOW))[supplier.org_id]
    assert (record.sent, record.answered, record.answered_on_time, record.decided, record.overdue_now) \
        == (5, 3, 2, 4, 2)
    assert record.on_time_share == 0.5 and record.median_hours_to_answer == 24
    longer = (await responsiveness_of(await p.actor(p.AUDITOR), [supplier.org_id], now=NOW, days=365))
    assert (longer[supplier.org_id].sent, longer[supplier.org_id].median_hours_to_answer) == (7, 24)


async def test_a_supplier_without_acknowledgements_has_zeros_and_no_share() -> None:
    supplier = await new_supplier("FASTENERS")
    record = (await responsiveness_of(await p.actor(p.ACCOUNTING), [supplier.org_id], now=NOW))[supplier.org_id]
    assert (record.sent, record.decided, record.on_time_share, record.median_hours_to_answer) == (0, 0, None, None)


async def test_many_suppliers_cost_two_queries() -> None:
    suppliers = [await new_supplier("FASTENERS") for _ in range(4)]
    for index, supplier in enumerate(suppliers):
        for _ in range(index + 1):
            await acknowledgement(supplier, AS.ACKNOWLEDGED, 10, 8, answered=10 - (index + 1) / 24)
    staff = await p.actor(p.PROCUREMENT)
    with count_sql() as sql:
        records = await responsiveness_of(staff, [s.org_id for s in suppliers], now=NOW)
    assert sql.count == 2
    assert [(records[s.org_id].sent, records[s.org_id].median_hours_to_answer) for s in suppliers] \
        == [(1, 1), (2, 2), (3, 3), (4, 4)]


async def test_a_supplier_sees_its_own_and_never_another_s() -> None:
    mine, other = await new_supplier("FASTENERS"), await new_supplier("FASTENERS")
    await acknowledgement(other, AS.ACKNOWLEDGED, 10, 8, answered=9)
    records = await responsiveness_of(mine, [mine.org_id, other.org_id], now=NOW)
    assert list(records) == [mine.org_id] and records[mine.org_id].sent == 0


@pytest.mark.parametrize("days", [0, -1, 731])
async def test_the_window_is_bounded(days: int) -> None:
    with pytest.raises(DomainError) as refused:
        await responsiveness_of(await p.actor(p.PROCUREMENT), [uuid.uuid4()], now=NOW, days=days)
    assert (refused.value.code, refused.value.field) == ("INVALID", "days")
