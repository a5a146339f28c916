"""`disputeStatement`: the supplier disputes lines of an issued statement, each with its reason."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.statements.types import Statement
from workflows import statements


@strawberry.input
class DisputedStatementLineInput:
    line_id: strawberry.ID
    reason: str


@strawberry.input
class DisputeStatementInput:
    id: strawberry.ID
    lines: list[DisputedStatementLineInput] = strawberry.field(default_factory=list)
    reason: str = strawberry.field(default="", description="about the statement as a whole (optional with lines)")


@strawberry.type
class DisputeStatementPayload:
    statement: Statement | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def dispute_statement(info: Info, input: DisputeStatementInput) -> DisputeStatementPayload:
    context = info.context
    actor = context.require_actor()
    lines = [statements.DisputedLine(require_id(line.line_id, f"lines[{index}].lineId"), line.reason)
             for index, line in enumerate(input.lines)]
    row, errors = await attempt(statements.dispute_statement(actor, require_id(input.id), lines, reason=input.reason,
                                                             clock=context.clock))
    return DisputeStatementPayload(statement=Statement.from_row(row) if row else None, errors=errors)
