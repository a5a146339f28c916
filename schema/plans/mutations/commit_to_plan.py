"""`commitToPlan`: a supplier commits capacity against lines of the latest revision sent to it."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.plans.types import PlanCommitment
from workflows import planning


@strawberry.input
class PlanCommitmentInput:
    line_id: strawberry.ID
    quantity: Decimal = strawberry.field(description="zero or more")
    note: str = ""


@strawberry.input
class CommitToPlanInput:
    revision_id: strawberry.ID
    lines: list[PlanCommitmentInput]


@strawberry.type
class CommitToPlanPayload:
    commitments: list[PlanCommitment] = strawberry.field(default_factory=list)
    errors: list[UserError] = strawberry.field(default_factory=list)


async def commit_to_plan(info: Info, input: CommitToPlanInput) -> CommitToPlanPayload:
    context = info.context
    actor = context.require_actor()
    lines = [planning.CommitmentInput(require_id(line.line_id, f"lines[{index}].lineId"), line.quantity, line.note)
             for index, line in enumerate(input.lines)]
    rows, errors = await attempt(planning.commit_to_plan(actor, require_id(input.revision_id, "revisionId"), lines,
                                                         clock=context.clock))
    return CommitToPlanPayload(commitments=[PlanCommitment.from_row(row) for row in rows or []], errors=errors)
