"""GraphQL types for contracts and their lines."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain import models as m
from schema.context import Info
from schema.contracts.loaders import contract_by_id, lines_by_contract, orders_by_contract
from schema.enums import ContractStatus
from schema.money import Money, money
from schema.orders.types import PurchaseOrder
from schema.parties.types import Organization, load_organization


@strawberry.type
class ContractLine:
    id: strawberry.ID
    line_no: int
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str
    unit_price: Money
    amount: Money

    @classmethod
    def from_row(cls, row: m.ContractLine, currency: str) -> ContractLine:
        return cls(
            id=strawberry.ID(str(row.id)), line_no=row.line_no, item_code=row.item_code, item_name=row.item_name,
            quantity=row.quantity, unit=row.unit, unit_price=money(row.unit_price, currency),
            amount=money(row.amount, currency),
        )


@strawberry.type(description="A framework or supply contract; an amendment is a new contract that `amends` another.")
class Contract:
    id: strawberry.ID
    number: str
    title: str
    status: ContractStatus
    total: Money
    valid_from: date
    valid_to: date
    issued_at: datetime | None
    signed_at: datetime | None
    rejected_at: datetime | None
    rejection_reason: str
    created_at: datetime
    supplier_id: strawberry.Private[uuid.UUID]
    amends_id: strawberry.Private[uuid.UUID | None]
    currency: strawberry.Private[str]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[ContractLine]:
        rows = await info.context.loader(lines_by_contract).load(uuid.UUID(self.id))
        return [ContractLine.from_row(row, self.currency) for row in rows]

    @strawberry.field(description="The contract this one amends, if the viewer may see it.")
    async def amends(self, info: Info) -> Contract | None:
        if self.amends_id is None:
            return None
        row = await info.context.loader(contract_by_id).load(self.amends_id)
        return Contract.from_row(row) if row else None

    @strawberry.field
    async def purchase_orders(self, info: Info) -> list[PurchaseOrder]:
        rows = await info.context.loader(orders_by_contract).load(uuid.UUID(self.id))
        return [PurchaseOrder.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.Contract) -> Contract:
        return cls(
            id=strawberry.ID(str(row.id)), number=row.number, title=row.title, status=row.status,
            total=money(row.total_amount, row.currency), valid_from=row.valid_from, valid_to=row.valid_to,
            issued_at=row.issued_at, signed_at=row.signed_at, rejected_at=row.rejected_at,
            rejection_reason=row.rejection_reason, created_at=row.created_at, supplier_id=row.supplier_id,
            amends_id=row.amends_id, currency=row.currency,
        )
