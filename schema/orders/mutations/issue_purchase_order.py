"""`issuePurchaseOrder`: issue an order against a signed contract (its prices, unless overridden) or standalone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import optional_id
from schema.orders.types import PurchaseOrder
from workflows import ordering
from workflows.staff import require_procurement_staff


@strawberry.input(description="An order line. Against a contract, the item must be on it; an omitted unit price, "
                              "name or unit is the contract's.")
class PurchaseOrderLineInput:
    item_code: str
    quantity: Decimal
    delivery_date: date
    unit_price: Decimal | None = None
    item_name: str = ""
    unit: str = ""


@strawberry.input
class IssuePurchaseOrderInput:
    lines: list[PurchaseOrderLineInput]
    contract_id: strawberry.ID | None = strawberry.field(
        default=None, description="the signed contract the order is placed under; none: a standalone order")
    supplier_id: strawberry.ID | None = strawberry.field(default=None, description="required without a contract")
    currency: str | None = None
    plant: str = ""
    delivery_address: str = ""
    price_override_reason: str = strawberry.field(
        default="", description="why prices differ from the contract's; without it they must match")
    receipt_tolerance_percent: Decimal | None = strawberry.field(
        default=None, description="how far receipts may exceed a line's quantity, in percent (default 5)")


@strawberry.type
class IssuePurchaseOrderPayload:
    purchase_order: PurchaseOrder | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def order_input(data: IssuePurchaseOrderInput) -> ordering.OrderInput:
    return ordering.OrderInput(
        lines=tuple(ordering.OrderLineInput(item_code=line.item_code, quantity=line.quantity,
                                            delivery_date=line.delivery_date, unit_price=line.unit_price,
                                            item_name=line.item_name, unit=line.unit) for line in data.lines),
        supplier_id=optional_id(data.supplier_id, "supplierId"),
        contract_id=optional_id(data.contract_id, "contractId"), currency=data.currency, plant=data.plant,
        delivery_address=data.delivery_address, price_override_reason=data.price_override_reason,
        receipt_tolerance_percent=data.receipt_tolerance_percent,
    )


async def issue_purchase_order(info: Info, input: IssuePurchaseOrderInput,
                               idempotency_key: str | None = None) -> IssuePurchaseOrderPayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        require_procurement_staff(actor, "issue a purchase order")  # before asking for the signing service
        return await ordering.issue_purchase_order(actor, order_input(input), clock=context.clock,
                                                   documents=await context.document_service(),
                                                   idempotency_key=idempotency_key)

    row, errors = await attempt(run())
    return IssuePurchaseOrderPayload(purchase_order=PurchaseOrder.from_row(row) if row else None, errors=errors)
