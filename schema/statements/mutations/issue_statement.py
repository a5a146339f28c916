"""`issueStatement`: DRAFT -> ISSUED, with the buyer-signed PDF and an acknowledgement for the supplier."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.statements.types import Statement
from workflows import statements


@strawberry.input
class IssueStatementInput:
    id: strawberry.ID


@strawberry.type
class IssueStatementPayload:
    statement: Statement | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def issue_statement(info: Info, input: IssueStatementInput) -> IssueStatementPayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        documents = await context.document_service()
        return await statements.issue_statement(actor, require_id(input.id), clock=context.clock,
                                                documents=documents)

    row, errors = await attempt(run())
    return IssueStatementPayload(statement=Statement.from_row(row) if row else None, errors=errors)
