"""`rejectOrderChange`: staff reject the supplier's proposed change; the original terms stand, to be answered again."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.orders.types import PurchaseOrder
from workflows import ordering


@strawberry.input
class RejectOrderChangeInput:
    id: strawberry.ID
    reason: str = ""


@strawberry.type
class RejectOrderChangePayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def reject_order_change(info: Info, input: RejectOrderChangeInput) -> RejectOrderChangePayload:
    context = info.context
    actor = context.require_actor()
    row, errors = await attempt(ordering.reject_order_change(actor, require_id(input.id), input.reason,
                                                             clock=context.clock))
    return RejectOrderChangePayload(purchase_order=PurchaseOrder.from_row(row) if row else None, errors=errors)
