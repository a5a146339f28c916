"""Awarding a closed tender (no GraphQL): whole or split by line, the award notices, and two awards at once."""

from __future__ import annotations

import asyncio
import uuid
from decimal import Decimal

import pytest

from domain.enums import DocumentKind, QualificationStatus, TenderStatus
from domain.errors import Conflict, DomainError
from domain.models import AuditEvent, Award, Bid, DocumentFile, Organization, Tender
from workflows import tendering
from workflows.documents.issuing import DocumentService
from workflows.documents.registry import verify_file
from tests.support import tenders as t

pytestmark = pytest.mark.usefixtures("demo")


async def two_bids(lines: int = 2) -> tuple[Tender, list, dict[uuid.UUID, Bid]]:
    """A closed tender on which supplier 0 priced every line and supplier 1 only the first."""
    clock = t.frozen_now()
    category = t.new_category()
    suppliers = [await t.new_supplier(category), await t.new_supplier(category)]
    prices = {0: ["2.5"] * lines, 1: ["2.4"] + [None] * (lines - 1)}
    tender = await t.closed_tender(clock, prices, suppliers, lines=lines)
    bids = {bid.supplier_id: bid for bid in await Bid.filter(tender_id=tender.id)}
    return tender, suppliers, bids


async def test_the_whole_tender_goes_to_one_bid_with_its_notice(service: DocumentService) -> None:
    tender, suppliers, bids = await two_bids()
    winner = bids[suppliers[0].org_id]
    staff = await t.staff()
    result = await tendering.award_tender(staff, tender.id, bid_id=winner.id, clock=t.frozen_now(), service=service)
    assert result.tender.status is TenderStatus.AWARDED
    awards = await Award.filter(tender_id=tender.id).prefetch_related("tender_line").order_by("id")
    assert [(a.tender_line.line_no, a.supplier_id, a.quantity, a.unit_price, a.amount) for a in awards] == [
        (1, winner.supplier_id, Decimal(100), Decimal("2.5"), Decimal("250.00")),
        (2, winner.supplier_id, Decimal(200), Decimal("2.5"), Decimal("500.00")),
    ]
    assert all(a.awarded_by_id == staff.user_id and a.bid_id == winner.id for a in awards)
    [notice] = result.notices
    assert notice.kind is DocumentKind.AWARD_NOTICE and notice.supplier_id == winner.supplier_id
    stored = await DocumentFile.get(version__document=notice)
    report, issued = await verify_file(service.store.get(stored.storage_key), service.clock.now())
    assert report.ok, report.to_text()
    assert await AuditEvent.filter(action="tender.award", subject_id=tender.id).count() == 1
    # Issuing the notices again adds none.
    again = await tendering.issue_award_notices(tender, service, actor=None)
    assert [d.id for d in again] == [notice.id]


async def test_a_tender_is_split_by_line_between_suppliers(service: DocumentService) -> None:
    tender, suppliers, bids = await two_bids(lines=3)
    first, second, third = await t.tender_lines(tender)
    cheap, full = bids[suppliers[1].org_id], bids[suppliers[0].org_id]
    result = await tendering.award_tender(
        await t.staff("admin@buyer.example"), tender.id, clock=t.frozen_now(), service=service,
        lines=[tendering.AwardLineInput(first.id, cheap.id), tendering.AwardLineInput(third.id, full.id)])
    assert [(a.tender_line_id, a.supplier_id, a.unit_price) for a in result.awards] == [
        (first.id, cheap.supplier_id, Decimal("2.4")), (third.id, full.supplier_id, Decimal("2.5"))]
    assert not await Award.filter(tender_line_id=second.id).exists()  # a line left out is not awarded
    assert sorted(notice.supplier_id for notice in result.notices) == sorted([cheap.supplier_id, full.supplier_id])


async def test_award_notice_numbers_fit_whatever_the_supplier_codes(service: DocumentService) -> None:
    clock = t.frozen_now()
    category = t.new_category()
    # Codes of the longest kind a supplier may have (32 characters), in reverse order of creation.
    codes = [f"Z{n}-{uuid.uuid4().hex}"[:32].upper() for n in (2, 1)]
    suppliers = [await t.new_supplier(category, code=code) for code in codes]
    assert all(len(code) == 32 for code in codes)
    tender = await t.closed_tender(clock, {0: ["2.5", None], 1: [None, "3.5"]}, suppliers)
    first, second = await t.tender_lines(tender)
    bids = {bid.supplier_id: bid for bid in await Bid.filter(tender_id=tender.id)}
    result = await tendering.award_tender(
        await t.staff(), tender.id, clock=t.frozen_now(), service=service,
        lines=[tendering.AwardLineInput(first.id, bids[suppliers[0].org_id].id),
               tendering.AwardLineInput(second.id, bids[suppliers[1].org_id].id)])
    numbers = {notice.supplier_id: notice.number for notice in result.notices}
    # Letters in supplier code order: Z1-… is A, Z2-… is B.
    assert numbers == {suppliers[1].org_id: f"{tender.number}-A", suppliers[0].org_id: f"{tender.number}-B"}
    assert all(len(number) <= 32 for number in numbers.values())
    for notice in result.notices:
        stored = await DocumentFile.get(version__document=notice)
        report, issued = await verify_file(service.store.get(stored.storage_key), service.clock.now())
        assert report.ok and issued.number == notice.number


AWARD_REFUSALS = {
    "neither": ("INVALID", "lines"),
    "both": ("INVALID", "bidId"),
    "incomplete bid": ("BID_INCOMPLETE", "bidId"),
    "unknown bid": ("NOT_FOUND", "bidId"),
    "another tender's bid": ("NOT_FOUND", "bidId"),
    "line not bid": ("LINE_NOT_BID", "lines[1].bidId"),
    "unknown line": ("UNKNOWN_TENDER_LINE", "lines[0].tenderLineId"),
    "line twice": ("DUPLICATE_LINE", "lines[1].tenderLineId"),
    "suspended winner": ("SUPPLIER_NOT_QUALIFIED", "bidId"),
    "supplier": ("PERMISSION_DENIED", None),
    "accounting": ("PERMISSION_DENIED", None),
    "still published": ("ILLEGAL_TRANSITION", "id"),
    "cancelled": ("ILLEGAL_TRANSITION", "id"),
    "unknown tender": ("NOT_FOUND", "id"),
}


@pytest.mark.parametrize("case", list(AWARD_REFUSALS))
async def test_award_refusals(case: str) -> None:
    tender, suppliers, bids = await two_bids()
    first, second = await t.tender_lines(tender)
    full, partial = bids[suppliers[0].org_id], bids[suppliers[1].org_id]
    actor, tender_id = await t.staff(), tender.id
    kwargs: dict = {"bid_id": full.id}
    clock = t.frozen_now()
    if case == "neither":
        kwargs = {}
    elif case == "both":
        kwargs["lines"] = [tendering.AwardLineInput(first.id, full.id)]
    elif case == "incomplete bid":
        kwargs = {"bid_id": partial.id}
    elif case == "unknown bid":
        kwargs = {"bid_id": uuid.uuid4()}
    elif case == "another tender's bid":
        other, _, other_bids = await two_bids()
        kwargs = {"bid_id": next(iter(other_bids.values())).id}
    elif case == "line not bid":
        kwargs = {"lines": [tendering.AwardLineInput(first.id, partial.id),
                            tendering.AwardLineInput(second.id, partial.id)]}
    elif case == "unknown line":
        kwargs = {"lines": [tendering.AwardLineInput(uuid.uuid4(), full.id)]}
    elif case == "line twice":
        kwargs = {"lines": [tendering.AwardLineInput(first.id, full.id), tendering.AwardLineInput(first.id, full.id)]}
    elif case == "suspended winner":
        await Organization.filter(id=full.supplier_id).update(qualification_status=QualificationStatus.SUSPENDED)
    elif case == "supplier":
        actor = suppliers[0]
    elif case == "accounting":
        actor = await t.staff("accounting@buyer.example")
    elif case == "still published":
        tender_id = (await t.published_tender(clock, suppliers)).id
    elif case == "cancelled":
        await tendering.cancel_tender(actor, tender.id, "预算取消 / budget withdrawn", clock=clock)
    elif case == "unknown tender":
        tender_id = uuid.uuid4()
    with pytest.raises(DomainError) as refused:
        await tendering.award_tender(actor, tender_id, clock=clock, service=None, **kwargs)
    code, field = AWARD_REFUSALS[case]
    assert refused.value.code == code, refused.value.message
    if field is not None:
        assert refused.value.field == field
    assert not await Award.filter(tender_id=tender.id).exists()


async def test_two_awards_at_once_one_wins_and_the_other_gets_a_conflict() -> None:
    """Two staff award the same tender concurrently, to different bids: exactly one award is written."""
    tender, suppliers, bids = await two_bids(lines=1)
    procurement, admin = await t.staff(), await t.staff("admin@buyer.example")
    choices = [(procurement, bids[suppliers[0].org_id]), (admin, bids[suppliers[1].org_id])]
    results = await asyncio.gather(*(
        tendering.award_tender(actor, tender.id, bid_id=bid.id, clock=t.frozen_now(), service=None)
        for actor, bid in choices), return_exceptions=True)
    won = [r for r in results if isinstance(r, tendering.AwardResult)]
    lost = [r for r in results if isinstance(r, BaseException)]
    assert len(won) == 1 and len(lost) == 1, results
    assert isinstance(lost[0], Conflict) and lost[0].code == "CONFLICT", lost[0]
    winner = won[0].awards[0].supplier_id
    assert set(await Award.filter(tender_id=tender.id).values_list("supplier_id", flat=True)) == {winner}
    assert await AuditEvent.filter(action="tender.award", subject_id=tender.id).count() == 1
    assert (await Tender.get(id=tender.id)).status is TenderStatus.AWARDED


async def test_awarding_a_tender_awarded_meanwhile_is_a_conflict() -> None:
    """The second of two awards may read the tender only after the first committed: the answer is still CONFLICT."""
    tender, suppliers, bids = await two_bids(lines=1)
    first, second = bids[suppliers[0].org_id], bids[suppliers[1].org_id]
    await tendering.award_tender(await t.staff(), tender.id, bid_id=first.id, clock=t.frozen_now(), service=None)
    with pytest.raises(Conflict) as late:
        await tendering.award_tender(await t.staff("admin@buyer.example"), tender.id, bid_id=second.id,
                                     clock=t.frozen_now(), service=None)
    assert (late.value.code, late.value.field) == ("CONFLICT", "id")
    assert set(await Award.filter(tender_id=tender.id).values_list("bid_id", flat=True)) == {first.id}
