"""`withdrawBid`: a supplier withdraws its own bid before the tender closes."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Bid
from workflows import tendering


@strawberry.input
class WithdrawBidInput:
    id: strawberry.ID = strawberry.field(description="The bid's id.")


@strawberry.type
class WithdrawBidPayload:
    bid: Bid | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def withdraw_bid(info: Info, input: WithdrawBidInput) -> WithdrawBidPayload:
    context = info.context
    row, errors = await attempt(tendering.withdraw_bid(context.require_actor(), require_id(input.id),
                                                       clock=context.clock))
    return WithdrawBidPayload(bid=Bid.from_row(row) if row else None, errors=errors)
