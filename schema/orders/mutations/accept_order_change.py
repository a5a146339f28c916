"""`acceptOrderChange`: staff accept the supplier's proposed change; the order is CONFIRMED on the new terms, and its
PDF is re-issued on them (a new buyer-signed version)."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.orders.types import PurchaseOrder
from workflows import ordering


@strawberry.input
class AcceptOrderChangeInput:
    id: strawberry.ID


@strawberry.type
class AcceptOrderChangePayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def accept_order_change(info: Info, input: AcceptOrderChangeInput) -> AcceptOrderChangePayload:
    context = info.context
    actor = context.require_actor()
    # The signing service is asked for once the checks have passed: the change re-issues the order's PDF.
    row, errors = await attempt(ordering.accept_order_change(actor, require_id(input.id), clock=context.clock,
                                                             documents=context.document_service))
    return AcceptOrderChangePayload(purchase_order=PurchaseOrder.from_row(row) if row else None, errors=errors)
