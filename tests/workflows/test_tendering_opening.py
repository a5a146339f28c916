"""Closing tenders (by hand, and by the sweep at `closes_at`), the signed opening record, and the evaluation view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from domain.clock import FrozenClock
from domain.enums import AcknowledgementStatus, DocumentKind, TenderStatus
from domain.errors import DomainError
from domain.models import (
    Acknowledgement, AuditEvent, Bid, BidLine, Document, DocumentFile, DocumentVersion, Tender, User,
)
from workflows import tendering
from workflows.deadlines.acknowledgements import acknowledge
from workflows.documents import subjects
from workflows.documents.issuing import DocumentService, with_verification
from workflows.documents.registry import verify_file
from tests.support import tenders as t

pytestmark = pytest.mark.usefixtures("demo")


def a_month_ago() -> FrozenClock:
    """Sweep tests run a month back, where no other test's tender is due or recently closed: the sweep acts on the
    whole database."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=30))


async def opened_hashes(tender: Tender, service: DocumentService, opened_by: tuple[str, ...]) -> tuple[str, str]:
    """(the sha256 of the opening record's canonical content as the tender stands, the issued version's sha256)."""
    subject, context = await subjects.opening_record_document(tender, service.letterhead, opened_by)
    _, expected = with_verification(context, service.verify_url)
    document = await Document.get(kind=DocumentKind.TENDER_OPENING_RECORD, subject_id=tender.id)
    version = await DocumentVersion.get(document=document, version=document.current_version)
    return expected, version.sha256


async def test_closing_early_waits_until_every_invitee_has_bid_or_declined(service: DocumentService) -> None:
    clock = t.frozen_now()
    category = t.new_category()
    bidder, decliner, withdrawer = [await t.new_supplier(category) for _ in range(3)]
    tender = await t.published_tender(clock, [bidder, decliner, withdrawer])
    await t.bid(tender, bidder, ["1", "2"], clock)

    async def refused(count: int) -> None:
        with pytest.raises(DomainError) as error:
            await tendering.close_tender(await t.staff(), tender.id, clock=clock, service=service)
        assert (error.value.code, error.value.field) == ("BIDS_OUTSTANDING", "id")
        assert f"({count} have not)" in error.value.message
        assert (await Tender.get(id=tender.id)).status is TenderStatus.PUBLISHED

    await refused(2)
    ack = await Acknowledgement.get(subject_id=tender.id, supplier_id=decliner.org_id)
    await acknowledge(decliner, ack.id, accept=False, reason="不参与 / not bidding", clock=clock)
    withdrawn = await t.bid(tender, withdrawer, ["0.9", "1.9"], clock)
    await tendering.withdraw_bid(withdrawer, withdrawn.bid.id, clock=clock)
    await refused(1)  # a withdrawn bid is no bid
    await t.bid(tender, withdrawer, ["0.8", "1.8"], clock)

    staff = await t.staff()
    closed = await tendering.close_tender(staff, tender.id, clock=clock, service=service)
    assert closed.tender.status is TenderStatus.CLOSED and closed.tender.closed_at == clock.now()
    assert (await Tender.get(id=tender.id)).closed_by_id == staff.user_id
    event = await AuditEvent.get(action="tender.close", subject_id=tender.id)
    assert event.actor_user_id == staff.user_id and event.data["bids"] == 2 and not event.data["automatic"]

    # The opening record: signed, naming who opened it, with the hash of every standing bid and no other.
    record = closed.opening_record
    assert record is not None and record.current_version == 1 and record.supplier_id is None
    user = await User.get(id=staff.user_id)
    tender = await Tender.get(id=tender.id)
    expected, issued_sha256 = await opened_hashes(
        tender, service, (f"{user.display_name} <{user.email}> (采购 Procurement)",))
    assert expected == issued_sha256
    _, context = await subjects.opening_record_document(tender, service.letterhead, ("x",))
    hashes = {bid.canonical_sha256 for bid in context.bids}
    standing = await Bid.filter(tender_id=tender.id, status="SUBMITTED").values_list("content_hash", flat=True)
    assert hashes == set(standing) and len(hashes) == 2 and withdrawn.content_hash not in hashes
    stored = await DocumentFile.get(version__document=record)
    report, issued = await verify_file(service.store.get(stored.storage_key), service.clock.now())
    assert report.ok, report.to_text()
    assert issued.kind is DocumentKind.TENDER_OPENING_RECORD and issued.number == tender.number


async def test_close_refusals() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    draft = await t.draft_tender(clock, [supplier])
    at_close = FrozenClock(tender.closes_at)
    cases = [
        (supplier, tender.id, "PERMISSION_DENIED"),
        (await t.staff("accounting@buyer.example"), tender.id, "PERMISSION_DENIED"),
        (await t.staff("auditor@buyer.example"), tender.id, "PERMISSION_DENIED"),
        (await t.staff(), draft.id, "ILLEGAL_TRANSITION"),
    ]
    for actor, tender_id, code in cases:
        with pytest.raises(DomainError) as refused:
            await tendering.close_tender(actor, tender_id, clock=at_close, service=None)
        assert refused.value.code == code
    await tendering.close_tender(await t.staff("admin@buyer.example"), tender.id, clock=at_close, service=None)
    with pytest.raises(DomainError) as twice:
        await tendering.close_tender(await t.staff(), tender.id, clock=at_close, service=None)
    assert twice.value.code == "ILLEGAL_TRANSITION"


async def test_the_sweep_closes_due_tenders_once_and_issues_their_opening_records(service: DocumentService) -> None:
    clock = a_month_ago()
    category = t.new_category()
    bidder, silent = await t.new_supplier(category), await t.new_supplier(category)
    due = await t.published_tender(clock, [bidder, silent], closes_in=timedelta(minutes=30))
    later = await t.published_tender(clock, [bidder], closes_in=timedelta(hours=2))
    receipt = await t.bid(due, bidder, ["3", "4"], clock)

    just_before = FrozenClock(due.closes_at - timedelta(microseconds=1))
    assert due.id not in {tender.id for tender in await tendering.close_due_tenders(just_before, service)}
    at_close = FrozenClock(due.closes_at)
    closed = await tendering.close_due_tenders(at_close, service)
    assert [tender.id for tender in closed] == [due.id]
    due = await Tender.get(id=due.id)
    assert due.status is TenderStatus.CLOSED and due.closed_at == due.closes_at and due.closed_by_id is None
    assert (await Tender.get(id=later.id)).status is TenderStatus.PUBLISHED
    statuses = {ack.supplier_id: ack.status for ack in await Acknowledgement.filter(subject_id=due.id)}
    assert statuses == {bidder.org_id: AcknowledgementStatus.ACKNOWLEDGED,
                        silent.org_id: AcknowledgementStatus.CANCELLED}
    expected, issued = await opened_hashes(due, service, (tendering.documents.AUTOMATIC_OPENING,))
    assert expected == issued
    _, context = await subjects.opening_record_document(due, service.letterhead, ("x",))
    assert [bid.canonical_sha256 for bid in context.bids] == [receipt.content_hash]
    assert context.invited_count == 2

    # Running it again changes nothing: no transition, no event, no new version.
    events, versions = await AuditEvent.all().count(), await DocumentVersion.all().count()
    assert await tendering.close_due_tenders(at_close, service) == []
    assert (await AuditEvent.all().count(), await DocumentVersion.all().count()) == (events, versions)


async def test_an_opening_record_that_failed_is_issued_by_the_next_sweep(service: DocumentService) -> None:
    clock = a_month_ago()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier], closes_in=timedelta(minutes=10))
    await t.bid(tender, supplier, ["1", "1"], clock)
    at_close = FrozenClock(tender.closes_at)
    await tendering.close_tender(await t.staff(), tender.id, clock=at_close, service=None)  # the signing "failed"
    assert await tendering.documents.opening_record(tender) is None
    await tendering.close_due_tenders(at_close, service)
    record = await tendering.documents.opening_record(tender)
    assert record is not None and record.current_version == 1
    user = await User.get(email=t.PROCUREMENT)
    expected, issued = await opened_hashes(await Tender.get(id=tender.id), service,
                                           (f"{user.display_name} <{user.email}> (采购 Procurement)",))
    assert expected == issued
    # Issuing again is a no-op, whoever asks.
    again = await tendering.issue_opening_record(tender, service, actor=None)
    assert again.id == record.id and again.current_version == 1


async def test_the_evaluation_puts_prices_side_by_side_once_the_tender_is_closed() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    a, b, c = [await t.new_supplier(category) for _ in range(3)]
    tender = await t.published_tender(clock, [a, b, c], lines=3)
    await t.bid(tender, a, ["10.0000", "5", "1.1111"], clock)
    await t.bid(tender, b, ["9.5", "5", None], clock)
    withdrawn = await t.bid(tender, c, ["1", "1", "1"], clock)
    await tendering.withdraw_bid(c, withdrawn.bid.id, clock=clock)
    staff = await t.staff("auditor@buyer.example")
    assert await tendering.tender_evaluation(staff, tender.id) is None  # sealed
    await tendering.close_tender(await t.staff(), tender.id, clock=FrozenClock(tender.closes_at), service=None)

    evaluation = await tendering.tender_evaluation(staff, tender.id)
    codes = [bidder.supplier.code for bidder in evaluation.bidders]
    assert codes == sorted(codes) and len(codes) == 2
    by_supplier = {bidder.supplier.id: bidder for bidder in evaluation.bidders}
    assert by_supplier[a.org_id].complete and by_supplier[a.org_id].lines_priced == 3
    assert not by_supplier[b.org_id].complete and by_supplier[b.org_id].lines_priced == 2
    assert c.org_id not in by_supplier  # withdrawn: not opened
    first, second, third = evaluation.lines
    assert [offer.unit_price for offer in first.offers] == [
        Decimal("10.0000") if bidder.supplier.id == a.org_id else Decimal("9.5") for bidder in evaluation.bidders]
    assert first.lowest == Decimal("9.5") and first.lowest_supplier_ids == (b.org_id,)
    assert first.average == Decimal("9.7500")
    assert second.lowest == Decimal(5) and set(second.lowest_supplier_ids) == {a.org_id, b.org_id}
    assert third.average == Decimal("1.1111") and len(third.offers) == 1
    for who in (a, await t.staff("accounting@buyer.example")):
        assert await tendering.tender_evaluation(who, tender.id) is None


async def test_a_bid_hash_detects_a_change_to_the_stored_bid() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    tender = await t.published_tender(clock, [supplier])
    receipt = await t.bid(tender, supplier, ["1.5", "2.5"], clock)
    bid = await Bid.get(id=receipt.bid.id)
    assert await tendering.recompute_bid_hash(bid) == receipt.content_hash
    line = await BidLine.filter(bid=bid).first()
    await BidLine.filter(id=line.id).update(unit_price=line.unit_price - Decimal("0.0001"))
    assert await tendering.recompute_bid_hash(bid) != receipt.content_hash
