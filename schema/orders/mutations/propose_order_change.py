"""`proposeOrderChange`: the supplier's answer to an issued order, proposing other quantities or dates per line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.orders.types import PurchaseOrder
from workflows import ordering


@strawberry.input
class OrderLineChangeInput:
    line_id: strawberry.ID
    quantity: Decimal | None = strawberry.field(default=None, description="the quantity the supplier can deliver")
    delivery_date: date | None = strawberry.field(default=None, description="the date it can deliver by")
    note: str = ""


@strawberry.input
class ProposeOrderChangeInput:
    id: strawberry.ID
    lines: list[OrderLineChangeInput]


@strawberry.type
class ProposeOrderChangePayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def propose_order_change(info: Info, input: ProposeOrderChangeInput) -> ProposeOrderChangePayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        changes = tuple(ordering.LineChangeInput(line_id=require_id(line.line_id, "lineId"), quantity=line.quantity,
                                                 delivery_date=line.delivery_date, note=line.note)
                        for line in input.lines)
        return await ordering.propose_order_change(actor, require_id(input.id), changes, clock=context.clock)

    row, errors = await attempt(run())
    return ProposeOrderChangePayload(purchase_order=PurchaseOrder.from_row(row) if row else None, errors=errors)
