"""`generateStatement`: a DRAFT statement of a supplier for a month, from its goods receipts and given deductions."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.statements.types import Statement
from workflows import statements


@strawberry.input(description="A penalty or claim taken off the statement (a positive amount, in cents at most).")
class StatementDeductionInput:
    description: str
    amount: Decimal


@strawberry.input
class GenerateStatementInput:
    supplier_id: strawberry.ID
    period: str = strawberry.field(description="the month, YYYY-MM, in the buyer's time zone (Asia/Shanghai)")
    deductions: list[StatementDeductionInput] = strawberry.field(default_factory=list)
    idempotency_key: str | None = strawberry.field(
        default=None, description="a retried request with the same key returns the first one's statement")


@strawberry.type
class GenerateStatementPayload:
    statement: Statement | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def generate_statement(info: Info, input: GenerateStatementInput) -> GenerateStatementPayload:
    context = info.context
    actor = context.require_actor()
    deductions = [statements.DeductionInput(d.description, d.amount) for d in input.deductions]
    row, errors = await attempt(statements.generate_statement(
        actor, require_id(input.supplier_id, "supplierId"), input.period, clock=context.clock, deductions=deductions,
        idempotency_key=input.idempotency_key))
    return GenerateStatementPayload(statement=Statement.from_row(row) if row else None, errors=errors)
