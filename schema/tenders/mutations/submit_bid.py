"""`submitBid`: a supplier's sealed bid (or its revision), answered with a receipt: the bid's canonical hash, when it
was received, its revision, and the RFC 3161 token when a time-stamping authority is configured."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.context import Context, Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Bid, BidReceipt
from workflows import tendering


@strawberry.input(description="A unit price (>= 0, at most 4 decimals) for the quantity a tender line asks.")
class BidLineInput:
    tender_line_id: strawberry.ID
    unit_price: Decimal
    delivery_days: int = 0
    note: str = ""


@strawberry.input
class SubmitBidInput:
    tender_id: strawberry.ID
    lines: list[BidLineInput] = strawberry.field(description="One per tender line priced (any subset of them).")
    note: str = ""


@strawberry.type
class SubmitBidPayload:
    bid: Bid | None = None
    receipt: BidReceipt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def _timestamper(context: Context):  # noqa: ANN202 - a pyHanko TimeStamper or None
    """The configured time-stamper, if any: read from the document services without building one (a bid needs no
    renderer and no signing key)."""
    return context.documents.timestamper if context.documents is not None else None


async def submit_bid(info: Info, input: SubmitBidInput, idempotency_key: str | None = None) -> SubmitBidPayload:
    context = info.context
    lines = [tendering.BidLineInput(tender_line_id=require_id(line.tender_line_id, f"lines[{i}].tenderLineId"),
                                    unit_price=line.unit_price, delivery_days=line.delivery_days, note=line.note)
             for i, line in enumerate(input.lines)]
    receipt, errors = await attempt(tendering.submit_bid(
        context.require_actor(), require_id(input.tender_id, "tenderId"), lines, note=input.note,
        clock=context.clock, timestamper=_timestamper(context), idempotency_key=idempotency_key))
    if receipt is None:
        return SubmitBidPayload(errors=errors)
    return SubmitBidPayload(bid=Bid.from_row(receipt.bid), receipt=BidReceipt.from_receipt(receipt))
