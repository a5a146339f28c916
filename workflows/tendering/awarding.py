"""Awarding a closed tender: the whole tender to one bid, or its lines split between bids; then the award notices.

Two staff awarding at once: the TENDER 'award' transition's conditional update lets exactly one through, the other
gets CONFLICT and nothing of its choice is written; one that reads the tender just after the other committed gets
CONFLICT too (not ILLEGAL_TRANSITION), so the answer does not depend on the timing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import TenderStatus
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.models import Award, Bid, BidLine, Document, Organization, Tender, TenderLine
from workflows import transitions as tt
from workflows import visibility
from workflows.documents.issuing import DocumentService
from workflows.staff import require_procurement_staff
from workflows.suppliers import require_qualified
from workflows.tendering.access import visible_tender
from workflows.tendering.documents import issue_award_notices
from workflows.tendering.inputs import MAX_LINES, AwardLineInput


@dataclass(frozen=True)
class AwardResult:
    tender: Tender
    awards: tuple[Award, ...]  # one per awarded line, by line number
    notices: tuple[Document, ...]  # one per awarded supplier; empty when no document service was given


@dataclass(frozen=True)
class _Choice:
    line: TenderLine
    bid: Bid
    priced: BidLine
    field: str  # the input field that chose it, for refusals


async def _choices(actor: Actor, tender: Tender, bid_id: uuid.UUID | None,
                   lines: Sequence[AwardLineInput]) -> list[_Choice]:
    """What goes to whom, from the bids the actor may read (the submitted bids of a closed tender)."""
    tender_lines = await TenderLine.filter(tender_id=tender.id).order_by("line_no")
    bids = {bid.id: bid for bid in await visibility.bids(actor).filter(tender_id=tender.id)}
    priced = {(row.bid_id, row.tender_line_id): row
              for row in await visibility.bid_lines(actor).filter(bid_id__in=list(bids))}
    if bid_id is not None:
        bid = bids.get(bid_id)
        if bid is None:
            raise NotFound("no such bid on this tender", field="bidId")
        missing = [line.line_no for line in tender_lines if (bid.id, line.id) not in priced]
        if missing:
            raise ValidationFailed(f"this bid does not price line(s) {', '.join(map(str, missing))}: award the "
                                   "tender by line instead", field="bidId", code="BID_INCOMPLETE")
        return [_Choice(line, bid, priced[(bid.id, line.id)], "bidId") for line in tender_lines]

    by_id = {line.id: line for line in tender_lines}
    choices: dict[uuid.UUID, _Choice] = {}
    for i, choice in enumerate(lines):
        line = by_id.get(choice.tender_line_id)
        if line is None:
            raise ValidationFailed("no such line in this tender", field=f"lines[{i}].tenderLineId",
                                   code="UNKNOWN_TENDER_LINE")
        if line.id in choices:
            raise ValidationFailed(f"line {line.line_no} is awarded twice", field=f"lines[{i}].tenderLineId",
                                   code="DUPLICATE_LINE")
        bid = bids.get(choice.bid_id)
        if bid is None:
            raise NotFound("no such bid on this tender", field=f"lines[{i}].bidId")
        if (bid.id, line.id) not in priced:
            raise ValidationFailed(f"this bid does not price line {line.line_no}", field=f"lines[{i}].bidId",
                                   code="LINE_NOT_BID")
        choices[line.id] = _Choice(line, bid, priced[(bid.id, line.id)], f"lines[{i}].bidId")
    return sorted(choices.values(), key=lambda choice: choice.line.line_no)


async def award_tender(actor: Actor, tender_id: uuid.UUID | None, *, bid_id: uuid.UUID | None = None,
                       lines: Sequence[AwardLineInput] = (), clock: Clock,
                       service: DocumentService | None) -> AwardResult:
    """Award a CLOSED tender: to one bid (`bid_id`, which must price every line) or line by line (`lines`: each line
    at most once; lines left out are not awarded). Every winner must be QUALIFIED (a suspended supplier cannot be
    awarded). Writes one Award per line in the transaction that moves the tender to AWARDED, then issues one signed
    award notice per winning supplier."""
    require_procurement_staff(actor, "award a tender")
    if (bid_id is None) == (not lines):
        raise ValidationFailed("award the whole tender to one bid (bidId) or split it by line (lines), not both",
                               field="bidId" if bid_id is not None else "lines")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"at most {MAX_LINES} lines", field="lines")
    tender = await visible_tender(actor, tender_id)
    if TenderStatus(tender.status) is TenderStatus.AWARDED:
        # Whoever awards started from the closed tender: awarded by now means another award won the race, whether
        # it committed a moment before this request read the tender or while this one was being written.
        raise Conflict(f"tender {tender.number} was awarded meanwhile, at {tender.awarded_at.isoformat()}; reload it",
                       field="id")
    tt.check(tt.TENDER, tender, "award", actor)
    choices = await _choices(actor, tender, bid_id, lines)
    suppliers = {org.id: org for org in await Organization.filter(id__in={c.bid.supplier_id for c in choices})}
    for choice in choices:
        require_qualified(suppliers[choice.bid.supplier_id], field=choice.field)
    now = clock.now()
    awards = [
        Award(tender_id=tender.id, supplier_id=choice.bid.supplier_id, bid_id=choice.bid.id,
              tender_line_id=choice.line.id, quantity=choice.priced.quantity, unit_price=choice.priced.unit_price,
              amount=choice.priced.amount, awarded_by_id=actor.user_id, created_at=now)
        for choice in choices
    ]
    summary: dict[str, list[int]] = {}
    for choice in choices:
        summary.setdefault(suppliers[choice.bid.supplier_id].code, []).append(choice.line.line_no)
    async with in_transaction() as connection:
        await tt.apply(connection, tt.TENDER, tender, "award", actor=actor, at=now,
                       data={"number": tender.number, "lines_by_supplier": summary})
        await Award.bulk_create(awards, using_db=connection)
    notices = await issue_award_notices(tender, service, actor=actor) if service is not None else []
    return AwardResult(tender, tuple(awards), tuple(notices))

