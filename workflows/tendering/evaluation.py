"""The evaluation view: once a tender has closed, each line's unit prices side by side, the lowest and the average.

Built only from what `workflows.visibility` lets the actor read, and only for buyer staff once the tender is CLOSED or
AWARDED: before that there is nothing to evaluate, whatever the caller.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from domain.actors import Actor
from domain.enums import TENDER_OPENED_STATUSES, TenderStatus
from domain.models import Bid, Organization, Tender, TenderLine
from workflows import visibility
from workflows.tendering.bidding import PRICE_STEP


@dataclass(frozen=True)
class Offer:
    """One supplier's price for one line."""

    bid_id: uuid.UUID
    supplier_id: uuid.UUID
    unit_price: Decimal
    amount: Decimal
    delivery_days: int
    note: str


@dataclass(frozen=True)
class LineEvaluation:
    line: TenderLine
    offers: tuple[Offer, ...]  # in bidder order (supplier code)
    lowest: Decimal | None
    lowest_supplier_ids: tuple[uuid.UUID, ...]  # more than one on a tie
    average: Decimal | None  # of the unit prices offered, rounded half up to the price precision


@dataclass(frozen=True)
class BidderSummary:
    bid: Bid
    supplier: Organization
    lines_priced: int
    total: Decimal
    complete: bool  # prices every line: may be awarded the whole tender


@dataclass(frozen=True)
class TenderEvaluation:
    tender: Tender
    bidders: tuple[BidderSummary, ...]  # by supplier code
    lines: tuple[LineEvaluation, ...]  # by line number


def _average(prices: list[Decimal]) -> Decimal | None:
    if not prices:
        return None
    return (sum(prices, Decimal(0)) / len(prices)).quantize(PRICE_STEP, rounding=ROUND_HALF_UP)


async def tender_evaluation(actor: Actor, tender_id: uuid.UUID | None) -> TenderEvaluation | None:
    """The evaluation of a closed or awarded tender, or None when `actor` may not see it: not buyer staff who read
    tenders, no such tender, or a tender whose bids are still sealed."""
    if not actor.is_staff:
        return None
    tender = await visibility.get_visible(visibility.tenders(actor), tender_id)
    if tender is None or TenderStatus(tender.status) not in TENDER_OPENED_STATUSES:
        return None
    lines = await visibility.tender_lines(actor).filter(tender_id=tender.id).order_by("line_no")
    bids = await visibility.bids(actor).filter(tender_id=tender.id)
    suppliers = {org.id: org for org in await Organization.filter(id__in=[bid.supplier_id for bid in bids])}
    bids.sort(key=lambda bid: suppliers[bid.supplier_id].code)
    supplier_of = {bid.id: bid.supplier_id for bid in bids}
    priced: dict[tuple[uuid.UUID, uuid.UUID], Offer] = {}
    for row in await visibility.bid_lines(actor).filter(bid_id__in=list(supplier_of)):
        priced[(row.bid_id, row.tender_line_id)] = Offer(row.bid_id, supplier_of[row.bid_id], row.unit_price,
                                                          row.amount, row.delivery_days, row.note)
    evaluations = []
    for line in lines:
        offers = tuple(priced[(bid.id, line.id)] for bid in bids if (bid.id, line.id) in priced)
        lowest = min((offer.unit_price for offer in offers), default=None)
        evaluations.append(LineEvaluation(
            line=line, offers=offers, lowest=lowest,
            lowest_supplier_ids=tuple(offer.supplier_id for offer in offers if offer.unit_price == lowest),
            average=_average([offer.unit_price for offer in offers]),
        ))
    bidders = tuple(
        BidderSummary(bid=bid, supplier=suppliers[bid.supplier_id],
                      lines_priced=sum(1 for line in lines if (bid.id, line.id) in priced),
                      total=bid.total_amount,
                      complete=all((bid.id, line.id) in priced for line in lines))
        for bid in bids
    )
    return TenderEvaluation(tender=tender, bidders=bidders, lines=tuple(evaluations))
