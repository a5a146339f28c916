"""`recordGoodsReceipt`: what arrived against the lines of a confirmed order, and what of it was rejected."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.orders.types import GoodsReceipt
from workflows import receiving


@strawberry.input
class GoodsReceiptLineInput:
    order_line_id: strawberry.ID
    received_quantity: Decimal = strawberry.field(description="what arrived (more than 0)")
    rejected_quantity: Decimal = strawberry.field(default=Decimal(0), description="of it, what failed inspection")


@strawberry.input
class RecordGoodsReceiptInput:
    order_id: strawberry.ID
    lines: list[GoodsReceiptLineInput]
    received_at: datetime | None = strawberry.field(default=None, description="default: now")
    note: str = ""


@strawberry.type
class RecordGoodsReceiptPayload:
    goods_receipt: GoodsReceipt | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def record_goods_receipt(info: Info, input: RecordGoodsReceiptInput,
                               idempotency_key: str | None = None) -> RecordGoodsReceiptPayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        data = receiving.ReceiptInput(
            order_id=require_id(input.order_id, "orderId"), received_at=input.received_at, note=input.note,
            lines=tuple(receiving.ReceiptLineInput(order_line_id=require_id(line.order_line_id, "orderLineId"),
                                                   received_quantity=line.received_quantity,
                                                   rejected_quantity=line.rejected_quantity)
                        for line in input.lines))
        return await receiving.record_goods_receipt(actor, data, clock=context.clock, idempotency_key=idempotency_key)

    row, errors = await attempt(run())
    return RecordGoodsReceiptPayload(goods_receipt=GoodsReceipt.from_row(row) if row else None, errors=errors)
