"""GraphQL types for purchase orders and goods receipts."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import strawberry

from domain import models as m
from schema.context import Info
from schema.contracts.loaders import contract_by_id
from schema.enums import OrderStatus
from schema.money import Money, money
from schema.orders.loaders import lines_by_order, lines_by_receipt, order_by_id, order_line_by_id, receipts_by_order
from schema.parties.types import Organization, load_organization

if TYPE_CHECKING:
    from schema.contracts.types import Contract


@strawberry.type
class PurchaseOrderLine:
    id: strawberry.ID
    line_no: int
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str
    unit_price: Money
    amount: Money
    delivery_date: date
    received_quantity: Decimal
    proposed_quantity: Decimal | None
    proposed_delivery_date: date | None
    change_note: str

    @classmethod
    def from_row(cls, row: m.PurchaseOrderLine, currency: str) -> PurchaseOrderLine:
        return cls(
            id=strawberry.ID(str(row.id)), line_no=row.line_no, item_code=row.item_code, item_name=row.item_name,
            quantity=row.quantity, unit=row.unit, unit_price=money(row.unit_price, currency),
            amount=money(row.amount, currency), delivery_date=row.delivery_date,
            received_quantity=row.received_quantity, proposed_quantity=row.proposed_quantity,
            proposed_delivery_date=row.proposed_delivery_date, change_note=row.change_note,
        )


@strawberry.type
class PurchaseOrder:
    id: strawberry.ID
    number: str
    status: OrderStatus
    total: Money
    plant: str
    delivery_address: str
    issued_at: datetime | None
    confirmed_at: datetime | None
    change_proposed_at: datetime | None
    rejected_at: datetime | None
    cancelled_at: datetime | None
    closed_at: datetime | None
    created_at: datetime
    rejection_reason: str
    cancel_reason: str
    price_override_reason: str = strawberry.field(description="why prices differ from the contract's, if they do")
    receipt_tolerance_percent: Decimal = strawberry.field(
        description="receipts may exceed a line's quantity by this share, in percent")
    supplier_id: strawberry.Private[uuid.UUID]
    contract_id: strawberry.Private[uuid.UUID | None]
    currency: strawberry.Private[str]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field(description="The contract the order was placed under, if the viewer may see it.")
    async def contract(self, info: Info) -> Annotated["Contract", strawberry.lazy("schema.contracts.types")] | None:
        # schema.contracts.types imports this module (for Contract.purchaseOrders), so Contract is imported lazily.
        from schema.contracts import types as contract_types

        if self.contract_id is None:
            return None
        row = await info.context.loader(contract_by_id).load(self.contract_id)
        return contract_types.Contract.from_row(row) if row else None

    @strawberry.field
    async def lines(self, info: Info) -> list[PurchaseOrderLine]:
        rows = await info.context.loader(lines_by_order).load(uuid.UUID(self.id))
        return [PurchaseOrderLine.from_row(row, self.currency) for row in rows]

    @strawberry.field
    async def receipts(self, info: Info) -> list[GoodsReceipt]:
        rows = await info.context.loader(receipts_by_order).load(uuid.UUID(self.id))
        return [GoodsReceipt.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.PurchaseOrder) -> PurchaseOrder:
        return cls(
            id=strawberry.ID(str(row.id)), number=row.number, status=row.status,
            total=money(row.total_amount, row.currency), plant=row.plant, delivery_address=row.delivery_address,
            issued_at=row.issued_at, confirmed_at=row.confirmed_at, change_proposed_at=row.change_proposed_at,
            rejected_at=row.rejected_at, cancelled_at=row.cancelled_at, closed_at=row.closed_at,
            created_at=row.created_at, rejection_reason=row.rejection_reason, cancel_reason=row.cancel_reason,
            price_override_reason=row.price_override_reason, receipt_tolerance_percent=row.receipt_tolerance_percent,
            supplier_id=row.supplier_id,
            contract_id=row.contract_id, currency=row.currency,
        )


@strawberry.type
class GoodsReceiptLine:
    id: strawberry.ID
    received_quantity: Decimal
    rejected_quantity: Decimal
    order_line_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def order_line(self, info: Info) -> PurchaseOrderLine | None:
        row = await info.context.loader(order_line_by_id).load(self.order_line_id)
        if row is None:
            return None
        order = await info.context.loader(order_by_id).load(row.order_id)
        return PurchaseOrderLine.from_row(row, order.currency) if order else None

    @classmethod
    def from_row(cls, row: m.GoodsReceiptLine) -> GoodsReceiptLine:
        return cls(id=strawberry.ID(str(row.id)), received_quantity=row.received_quantity,
                   rejected_quantity=row.rejected_quantity, order_line_id=row.order_line_id)


@strawberry.type
class GoodsReceipt:
    id: strawberry.ID
    number: str
    received_at: datetime
    plant: str
    note: str
    created_at: datetime
    order_id: strawberry.Private[uuid.UUID]
    supplier_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field
    async def order(self, info: Info) -> PurchaseOrder | None:
        row = await info.context.loader(order_by_id).load(self.order_id)
        return PurchaseOrder.from_row(row) if row else None

    @strawberry.field
    async def lines(self, info: Info) -> list[GoodsReceiptLine]:
        rows = await info.context.loader(lines_by_receipt).load(uuid.UUID(self.id))
        return [GoodsReceiptLine.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.GoodsReceipt) -> GoodsReceipt:
        return cls(id=strawberry.ID(str(row.id)), number=row.number, received_at=row.received_at, plant=row.plant,
                   note=row.note, created_at=row.created_at, order_id=row.order_id, supplier_id=row.supplier_id)
