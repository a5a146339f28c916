"""Sealed bids (no GraphQL): submit, revise, withdraw, the receipt and its RFC 3161 token, the closing instant."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from asn1crypto import cms, tsp

from domain.clock import FrozenClock
from domain.enums import AcknowledgementStatus, BidStatus, QualificationStatus
from domain.errors import DomainError
from domain.models import Acknowledgement, AuditEvent, Bid, BidLine, Organization, TenderInvitation
from workflows import tendering, visibility
from workflows.deadlines.acknowledgements import acknowledge
from workflows.documents.signing import timestamper_for
from tests.support import tenders as t
from tests.support.tsa import LocalTimeStampingAuthority

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_bid_is_sealed_with_its_canonical_hash_and_the_supplier_gets_a_receipt() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    receipt = await t.bid(tender, supplier, ["1.2345", "0"], clock)
    bid = await Bid.get(id=receipt.bid.id)
    assert bid.status is BidStatus.SUBMITTED and bid.revision == receipt.revision == 1
    assert bid.submitted_at == receipt.submitted_at == clock.now()
    assert bid.content_hash == receipt.content_hash == await tendering.recompute_bid_hash(bid)
    assert not receipt.timestamped and bid.timestamp_token is None
    assert bid.total_amount == Decimal("123.45")  # 100 x 1.2345 + 200 x 0
    assert [(line.quantity, line.amount) for line in await BidLine.filter(bid=bid).order_by("tender_line__line_no")] \
        == [(Decimal(100), Decimal("123.45")), (Decimal(200), Decimal(0))]
    ack = await Acknowledgement.get(subject_id=tender.id, supplier_id=supplier.org_id)
    assert ack.status is AcknowledgementStatus.ACKNOWLEDGED and ack.answered_by_id == supplier.user_id
    event = await AuditEvent.get(action="bid.submit", subject_id=bid.id)
    assert event.data["hash"] == bid.content_hash and event.supplier_id == supplier.org_id


async def test_submitting_again_revises_the_bid_and_its_hash() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    first = await t.bid(tender, supplier, ["2.00", "3.00"], clock)
    clock.advance(timedelta(minutes=5))
    second = await t.bid(tender, supplier, ["1.90", None], clock, note="含税 / VAT included")
    assert second.bid.id == first.bid.id and second.revision == 2 and second.content_hash != first.content_hash
    bid = await Bid.get(id=first.bid.id)
    assert bid.revision == 2 and bid.submitted_at == clock.now() and bid.note == "含税 / VAT included"
    assert await BidLine.filter(bid=bid).count() == 1  # the lines were replaced, not added to
    assert bid.content_hash == await tendering.recompute_bid_hash(bid)
    # The same prices at another revision hash differently: a receipt names one submission.
    third = await t.bid(tender, supplier, ["1.90", None], clock, note="含税 / VAT included")
    assert third.revision == 3 and third.content_hash != second.content_hash


async def test_an_idempotency_key_submits_once_and_answers_a_retry_even_after_the_close() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    key = f"bid-{uuid.uuid4()}"
    first = await t.bid(tender, supplier, ["2.00", "3.00"], clock, idempotency_key=key)
    clock.advance(timedelta(minutes=1))
    again = await t.bid(tender, supplier, ["2.00", "3.00"], clock, idempotency_key=key)
    assert again.bid.id == first.bid.id and again.revision == first.revision == 1
    assert (again.content_hash, again.submitted_at) == (first.content_hash, first.submitted_at)
    assert await AuditEvent.filter(action="bid.submit", subject_id=first.bid.id).count() == 1, "nothing revised"
    # The retry of a request that was in time is answered as such, not refused as late.
    late = FrozenClock(tender.closes_at + timedelta(minutes=1))
    after_close = await t.bid(tender, supplier, ["2.00", "3.00"], late, idempotency_key=key)
    assert after_close.bid.id == first.bid.id and after_close.revision == 1
    with pytest.raises(DomainError) as reused:
        await t.bid(tender, supplier, ["1.00", "3.00"], clock, idempotency_key=key)
    assert (reused.value.code, reused.value.field) == ("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")
    assert (await Bid.get(id=first.bid.id)).revision == 1
    # Another key is another submission: a revision.
    revised = await t.bid(tender, supplier, ["1.00", "3.00"], clock, idempotency_key=f"bid-{uuid.uuid4()}")
    assert revised.bid.id == first.bid.id and revised.revision == 2


async def test_two_submissions_with_one_key_at_once_submit_once() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    key = f"bid-{uuid.uuid4()}"
    receipts = await asyncio.gather(*(t.bid(tender, supplier, ["2.00", "3.00"], clock, idempotency_key=key)
                                      for _ in range(2)))
    assert {r.bid.id for r in receipts} == {receipts[0].bid.id} and {r.revision for r in receipts} == {1}
    assert await AuditEvent.filter(action="bid.submit", subject_id=receipts[0].bid.id).count() == 1


async def test_with_a_time_stamping_authority_the_receipt_carries_an_rfc3161_token_over_the_hash() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    with LocalTimeStampingAuthority(clock=clock.now) as authority:
        receipt = await t.bid(tender, supplier, ["5", "6"], clock, timestamper=timestamper_for(authority.url))
    assert receipt.timestamped and authority.requests == 1
    token = cms.ContentInfo.load(receipt.timestamp_token)
    info = token["content"]["encap_content_info"]["content"].parsed
    assert isinstance(info, tsp.TSTInfo)
    assert info["message_imprint"]["hashed_message"].native == bytes.fromhex(receipt.content_hash)
    assert info["gen_time"].native == clock.now()
    assert (await Bid.get(id=receipt.bid.id)).timestamp_token == receipt.timestamp_token


async def test_an_unreachable_time_stamping_authority_does_not_stop_the_bid() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    with LocalTimeStampingAuthority() as authority:
        url = authority.url  # a port nobody listens on once it has stopped
    receipt = await t.bid(tender, supplier, ["5", "6"], clock, timestamper=timestamper_for(url))
    assert not receipt.timestamped and (await Bid.get(id=receipt.bid.id)).status is BidStatus.SUBMITTED


async def test_a_bid_at_the_closing_instant_is_refused_and_one_a_microsecond_before_is_accepted() -> None:
    clock = t.frozen_now()
    early, late = await t.new_supplier(t.new_category()), await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [early, late])
    accepted = await t.bid(tender, early, ["1", "1"], FrozenClock(tender.closes_at - timedelta(microseconds=1)))
    assert accepted.submitted_at < tender.closes_at
    for when in (tender.closes_at, tender.closes_at + timedelta(seconds=1)):
        with pytest.raises(DomainError) as refused:
            await t.bid(tender, late, ["1", "1"], FrozenClock(when))
        assert (refused.value.code, refused.value.field) == ("TENDER_CLOSED", "tenderId")
        with pytest.raises(DomainError) as revising:
            await t.bid(tender, early, ["0.5", "0.5"], FrozenClock(when))
        assert revising.value.code == "TENDER_CLOSED"
    assert not await Bid.filter(tender_id=tender.id, supplier_id=late.org_id).exists()
    assert (await Bid.get(id=accepted.bid.id)).revision == 1


def _lines(tender_lines, *prices, **changes) -> list[tendering.BidLineInput]:  # noqa: ANN001, ANN003
    return [tendering.BidLineInput(tender_line_id=line.id, unit_price=Decimal(price), **changes)
            for line, price in zip(tender_lines, prices, strict=False)]


SUBMIT_REFUSALS = {
    "buyer staff": ("PERMISSION_DENIED", "tenderId"),
    "not invited": ("NOT_FOUND", "tenderId"),
    "unknown tender": ("NOT_FOUND", "tenderId"),
    "draft tender": ("NOT_FOUND", "tenderId"),
    "declined": ("INVITATION_DECLINED", "tenderId"),
    "suspended": ("SUPPLIER_NOT_QUALIFIED", "tenderId"),
    "before opening": ("TENDER_NOT_OPEN", "tenderId"),
    "closed by hand": ("TENDER_CLOSED", "tenderId"),
    "cancelled": ("TENDER_CANCELLED", "tenderId"),
    "no lines": ("NO_LINES", "lines"),
    "another tender's line": ("UNKNOWN_TENDER_LINE", "lines[1].tenderLineId"),
    "line twice": ("DUPLICATE_LINE", "lines[1].tenderLineId"),
    "negative price": ("PRICE_NEGATIVE", "lines[1].unitPrice"),
    "five decimals": ("TOO_MANY_DECIMALS", "lines[0].unitPrice"),
    "price too large": ("TOO_LARGE", "lines[0].unitPrice"),
    "amount too large": ("TOO_LARGE", "lines[1].unitPrice"),
    "delivery days": ("INVALID", "lines[0].deliveryDays"),
    "line note too long": ("INVALID", "lines[0].note"),
    "note too long": ("INVALID", "note"),
}


@pytest.mark.parametrize("case", list(SUBMIT_REFUSALS))
async def test_submit_refusals(case: str) -> None:
    clock = t.frozen_now()
    category = t.new_category()
    supplier, other = await t.new_supplier(category), await t.new_supplier(category)
    tender = await t.published_tender(clock, [supplier])
    lines = await t.tender_lines(tender)
    actor, tender_id, note = supplier, tender.id, ""
    bid_lines = _lines(lines, "1", "2")
    if case == "buyer staff":
        actor = await t.staff()
    elif case == "not invited":
        actor = other
    elif case == "unknown tender":
        tender_id = uuid.uuid4()
    elif case == "draft tender":
        tender_id = (await t.draft_tender(clock, [supplier])).id
    elif case == "declined":
        ack = await Acknowledgement.get(subject_id=tender.id, supplier_id=supplier.org_id)
        await acknowledge(supplier, ack.id, accept=False, reason="产能不足 / no capacity", clock=clock)
        assert (await TenderInvitation.get(tender=tender, supplier_id=supplier.org_id)).declined_at == clock.now()
    elif case == "suspended":
        await Organization.filter(id=supplier.org_id).update(qualification_status=QualificationStatus.SUSPENDED)
    elif case == "before opening":
        data = t.tender_input([supplier.org_id], clock.now() + timedelta(days=2),
                              opens_at=clock.now() + timedelta(days=1))
        draft, _ = await tendering.create_tender(await t.staff(), data, clock=clock)
        tender_id = (await tendering.publish_tender(await t.staff(), draft.id, clock=clock)).id
        bid_lines = _lines(await t.tender_lines(draft), "1")
    elif case == "closed by hand":
        await tendering.close_tender(await t.staff(), tender.id, clock=FrozenClock(tender.closes_at), service=None)
    elif case == "cancelled":
        await tendering.cancel_tender(await t.staff(), tender.id, "取消 / cancelled", clock=clock)
    elif case == "no lines":
        bid_lines = []
    elif case == "another tender's line":
        elsewhere = await t.tender_lines(await t.draft_tender(clock, [supplier]))
        bid_lines = [bid_lines[0], *_lines(elsewhere, "1")]
    elif case == "line twice":
        bid_lines = [bid_lines[0], bid_lines[0]]
    elif case == "negative price":
        bid_lines = _lines(lines, "1", "-0.01")
    elif case == "five decimals":
        bid_lines = _lines(lines, "1.00001")
    elif case == "price too large":
        bid_lines = _lines(lines, "100000000000000")
    elif case == "amount too large":
        bid_lines = _lines(lines, "1", "99999999999999")  # x 200 does not fit an amount column
    elif case == "delivery days":
        bid_lines = _lines(lines, "1", delivery_days=-1)
    elif case == "line note too long":
        bid_lines = _lines(lines, "1", note="x" * 501)
    elif case == "note too long":
        note = "x" * 1001
    with pytest.raises(DomainError) as refused:
        await tendering.submit_bid(actor, tender_id, bid_lines, note=note, clock=clock)
    assert (refused.value.code, refused.value.field) == SUBMIT_REFUSALS[case], refused.value.message
    assert not await Bid.filter(tender_id=tender_id).exists()


async def test_a_supplier_withdraws_its_bid_and_may_submit_again_before_the_close() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    receipt = await t.bid(tender, supplier, ["1", "2"], clock)
    withdrawn = await tendering.withdraw_bid(supplier, receipt.bid.id, clock=clock)
    assert withdrawn.status is BidStatus.WITHDRAWN and withdrawn.withdrawn_at == clock.now()
    with pytest.raises(DomainError) as twice:
        await tendering.withdraw_bid(supplier, receipt.bid.id, clock=clock)
    assert twice.value.code == "ILLEGAL_TRANSITION"
    again = await t.bid(tender, supplier, ["1", "2"], clock)
    assert again.revision == 2 and (await Bid.get(id=receipt.bid.id)).status is BidStatus.SUBMITTED


async def test_withdrawing_another_suppliers_bid_or_any_bid_as_staff_is_not_found() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    owner, other = await t.new_supplier(category), await t.new_supplier(category)
    tender = await t.published_tender(clock, [owner, other])
    receipt = await t.bid(tender, owner, ["1", "2"], clock)
    for actor in (other, await t.staff(), await t.staff("admin@buyer.example")):
        with pytest.raises(DomainError) as refused:
            await tendering.withdraw_bid(actor, receipt.bid.id, clock=clock)
        assert (refused.value.code, refused.value.field) == ("NOT_FOUND", "id")
    with pytest.raises(DomainError) as unknown:
        await tendering.withdraw_bid(owner, uuid.uuid4(), clock=clock)
    assert unknown.value.code == "NOT_FOUND"
    assert (await Bid.get(id=receipt.bid.id)).status is BidStatus.SUBMITTED


async def test_a_bid_cannot_be_withdrawn_at_or_after_the_close() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    receipt = await t.bid(tender, supplier, ["1", "2"], clock)
    with pytest.raises(DomainError) as refused:
        await tendering.withdraw_bid(supplier, receipt.bid.id, clock=FrozenClock(tender.closes_at))
    assert (refused.value.code, refused.value.field) == ("TENDER_CLOSED", "id")
    await tendering.close_tender(await t.staff(), tender.id, clock=FrozenClock(tender.closes_at), service=None)
    with pytest.raises(DomainError):
        await tendering.withdraw_bid(supplier, receipt.bid.id, clock=clock)
    assert (await Bid.get(id=receipt.bid.id)).status is BidStatus.SUBMITTED


async def test_nobody_but_the_bidder_reads_a_bid_before_the_close() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    owner, other = await t.new_supplier(category), await t.new_supplier(category)
    tender = await t.published_tender(clock, [owner, other])
    await t.bid(tender, owner, ["1", "2"], clock)
    for email in ("procurement@buyer.example", "admin@buyer.example", "auditor@buyer.example"):
        staff = await t.staff(email)
        assert await visibility.bids(staff).filter(tender_id=tender.id).count() == 0
        assert await visibility.bid_lines(staff).filter(bid__tender_id=tender.id).count() == 0
        assert await tendering.tender_evaluation(staff, tender.id) is None
    assert await visibility.bids(other).filter(tender_id=tender.id).count() == 0
    assert await visibility.bids(owner).filter(tender_id=tender.id).count() == 1


async def test_a_bid_racing_the_closing_sweep_is_either_in_before_the_close_or_refused() -> None:
    """A bid received a microsecond before `closes_at` while the sweep closes the tender: the tender row lock orders
    them, so the bid is either written before the close (and opened) or refused; never written after it."""
    clock = FrozenClock(t.frozen_now().now() - timedelta(days=30))  # where no other test's tender is due
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier], closes_in=timedelta(minutes=20))
    bid, closed = await asyncio.gather(
        t.bid(tender, supplier, ["1", "1"], FrozenClock(tender.closes_at - timedelta(microseconds=1))),
        tendering.close_due_tenders(FrozenClock(tender.closes_at), None), return_exceptions=True)
    assert [t_.id for t_ in closed] == [tender.id]
    close = await AuditEvent.get(action="tender.close", subject_id=tender.id)
    if isinstance(bid, BaseException):
        assert isinstance(bid, DomainError) and bid.code == "TENDER_CLOSED", bid
        assert not await Bid.filter(tender_id=tender.id).exists() and close.data["bids"] == 0
    else:
        submitted = await AuditEvent.get(action="bid.submit", subject_id=bid.bid.id)
        assert submitted.seq < close.seq and close.data["bids"] == 1
