"""GraphQL types for statements, their lines and disputes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain import models as m
from schema.context import Info
from schema.enums import StatementLineKind, StatementStatus
from schema.money import Money, money
from schema.parties.types import Organization, load_organization
from schema.statements.loaders import (
    disputes_by_statement, lines_by_statement, statement_by_id, statement_line_by_id,
)


@strawberry.type(description="A receipt line (received quantity × agreed price) or a deduction (negative amount).")
class StatementLine:
    id: strawberry.ID
    line_no: int
    kind: StatementLineKind
    description: str
    quantity: Decimal
    unit_price: Money
    amount: Money

    @classmethod
    def from_row(cls, row: m.StatementLine, currency: str) -> StatementLine:
        return cls(
            id=strawberry.ID(str(row.id)), line_no=row.line_no, kind=row.kind, description=row.description,
            quantity=row.quantity, unit_price=money(row.unit_price, currency), amount=money(row.amount, currency),
        )


@strawberry.type(description="A supplier's dispute of a statement, or of one of its lines.")
class Dispute:
    id: strawberry.ID
    reason: str
    resolution: str
    resolved_at: datetime | None
    created_at: datetime
    statement_line_id: strawberry.Private[uuid.UUID | None]
    currency: strawberry.Private[str]

    @strawberry.field(description="The disputed line; null when the whole statement is disputed.")
    async def statement_line(self, info: Info) -> StatementLine | None:
        if self.statement_line_id is None:
            return None
        row = await info.context.loader(statement_line_by_id).load(self.statement_line_id)
        return StatementLine.from_row(row, self.currency) if row else None

    @classmethod
    def from_row(cls, row: m.Dispute, currency: str) -> Dispute:
        return cls(
            id=strawberry.ID(str(row.id)), reason=row.reason, resolution=row.resolution, resolved_at=row.resolved_at,
            created_at=row.created_at, statement_line_id=row.statement_line_id, currency=currency,
        )


@strawberry.type(description="A monthly statement; a disputed one is re-issued as a new version with `previous` set.")
class Statement:
    id: strawberry.ID
    number: str
    period: str = strawberry.field(description="The month, YYYY-MM.")
    period_start: date
    period_end: date
    version: int
    status: StatementStatus
    goods_amount: Money
    deduction_amount: Money
    total: Money
    issued_at: datetime | None
    confirmed_at: datetime | None
    disputed_at: datetime | None
    created_at: datetime
    supplier_id: strawberry.Private[uuid.UUID]
    previous_id: strawberry.Private[uuid.UUID | None]
    currency: strawberry.Private[str]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[StatementLine]:
        rows = await info.context.loader(lines_by_statement).load(uuid.UUID(self.id))
        return [StatementLine.from_row(row, self.currency) for row in rows]

    @strawberry.field
    async def disputes(self, info: Info) -> list[Dispute]:
        rows = await info.context.loader(disputes_by_statement).load(uuid.UUID(self.id))
        return [Dispute.from_row(row, self.currency) for row in rows]

    @strawberry.field(description="The version this one re-issues, if the viewer may see it.")
    async def previous(self, info: Info) -> Statement | None:
        if self.previous_id is None:
            return None
        row = await info.context.loader(statement_by_id).load(self.previous_id)
        return Statement.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: m.Statement) -> Statement:
        return cls(
            id=strawberry.ID(str(row.id)), number=row.number, period=row.period, period_start=row.period_start,
            period_end=row.period_end, version=row.version, status=row.status,
            goods_amount=money(row.goods_amount, row.currency),
            deduction_amount=money(row.deduction_amount, row.currency), total=money(row.total_amount, row.currency),
            issued_at=row.issued_at, confirmed_at=row.confirmed_at, disputed_at=row.disputed_at,
            created_at=row.created_at, supplier_id=row.supplier_id, previous_id=row.previous_id,
            currency=row.currency,
        )
