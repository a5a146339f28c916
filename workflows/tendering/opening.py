"""Closing a tender opens its bids: by itself at `closes_at` (`close_due_tenders`, run by the scheduler and `portal
tick`), or by hand earlier once every invited supplier has bid or declined. Then the signed opening record is issued.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import BidStatus, TenderStatus
from domain.errors import Conflict, IllegalTransition
from domain.models import Bid, Document, Tender, TenderInvitation
from workflows import transitions as tt
from workflows.deadlines.acknowledgements import close_acknowledgements
from workflows.documents.issuing import DocumentService
from workflows.staff import require_procurement_staff
from workflows.tendering.access import visible_tender
from workflows.tendering.documents import issue_missing_documents, issue_opening_record


@dataclass(frozen=True)
class ClosedTender:
    tender: Tender
    opening_record: Document | None  # None when no document service was given


async def outstanding_invitees(tender: Tender, connection: BaseDBAsyncClient | None = None) -> int:
    """How many invited suppliers have neither a submitted bid nor declined (counts only: nothing of a bid)."""
    waiting = set(await TenderInvitation.filter(tender_id=tender.id, declined_at__isnull=True).using_db(
        connection).values_list("supplier_id", flat=True))
    bidders = set(await Bid.filter(tender_id=tender.id, status=BidStatus.SUBMITTED).using_db(connection).values_list(
        "supplier_id", flat=True))
    return len(waiting - bidders)


async def _close(connection: BaseDBAsyncClient, tender: Tender, actor: Actor | None, now: datetime) -> None:
    # Lock the tender row first: a bid being written holds it, so once we have it every bid that will be opened has
    # committed, and the count below (and the opening record) sees it.
    await Tender.filter(id=tender.id).using_db(connection).select_for_update().first()
    bids = await Bid.filter(tender_id=tender.id, status=BidStatus.SUBMITTED).using_db(connection).count()
    await tt.apply(connection, tt.TENDER, tender, "close", actor=actor, at=now,
                   changes={"closed_by_id": actor.user_id if actor else None},
                   data={"number": tender.number, "bids": bids, "automatic": actor is None})
    # Whoever has not answered can no longer bid: their reminders stop.
    await close_acknowledgements(connection, tender, name="cancel", actor=actor, at=now)


async def close_tender(actor: Actor, tender_id: uuid.UUID | None, *, clock: Clock,
                       service: DocumentService | None) -> ClosedTender:
    """Close a published tender by hand and issue its opening record. Before `closes_at` only when every invited
    supplier has submitted a bid or declined (else BIDS_OUTSTANDING). `closed_by` records who opened the bids."""
    require_procurement_staff(actor, "close a tender")
    tender = await visible_tender(actor, tender_id)
    tt.check(tt.TENDER, tender, "close", actor)
    now = clock.now()
    early = now < tender.closes_at

    def refuse(waiting: int) -> IllegalTransition:
        return IllegalTransition(
            f"tender {tender.number} closes at {tender.closes_at.isoformat()}; before then it can be closed only once "
            f"every invited supplier has bid or declined ({waiting} have not)", field="id", code="BIDS_OUTSTANDING")

    if early and (waiting := await outstanding_invitees(tender)):
        raise refuse(waiting)
    async with in_transaction() as connection:
        await _close(connection, tender, actor, now)
        # Counted again behind the tender's row lock: a bid withdrawn meanwhile has committed by now.
        if early and (waiting := await outstanding_invitees(tender, connection)):
            raise refuse(waiting)
    record = await issue_opening_record(tender, service, actor=actor) if service is not None else None
    return ClosedTender(tender, record)


async def close_due_tenders(clock: Clock, service: DocumentService | None) -> list[Tender]:
    """Close every PUBLISHED tender whose `closes_at` has come, as the portal (closed_by stays empty), and issue the
    opening records (also any still missing from earlier runs). Returns the tenders closed by this run: running it
    again closes nothing more; a tender closed concurrently (another worker, or by hand) is skipped."""
    now = clock.now()
    closed = []
    for tender in await Tender.filter(status=TenderStatus.PUBLISHED, closes_at__lte=now).order_by("closes_at"):
        try:
            async with in_transaction() as connection:
                await _close(connection, tender, None, now)
        except Conflict:
            continue
        closed.append(tender)
    if service is not None:
        await issue_missing_documents(clock, service)
    return closed
