"""`cancelPurchaseOrder`: cancel an order nothing was received against, with a reason."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.orders.types import PurchaseOrder
from workflows import ordering


@strawberry.input
class CancelPurchaseOrderInput:
    id: strawberry.ID
    reason: str


@strawberry.type
class CancelPurchaseOrderPayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def cancel_purchase_order(info: Info, input: CancelPurchaseOrderInput) -> CancelPurchaseOrderPayload:
    context = info.context
    actor = context.require_actor()
    row, errors = await attempt(ordering.cancel_purchase_order(actor, require_id(input.id), input.reason,
                                                               clock=context.clock))
    return CancelPurchaseOrderPayload(purchase_order=PurchaseOrder.from_row(row) if row else None, errors=errors)
