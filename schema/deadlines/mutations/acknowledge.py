"""`acknowledge`: the supplier's one answer to any acknowledgement: accept (countersigning its document) or reject."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.deadlines.types import Acknowledgement
from schema.errors import UserError, attempt
from schema.filters import require_id
from workflows.deadlines import acknowledgements


@strawberry.input
class AcknowledgeInput:
    id: strawberry.ID
    accept: bool = strawberry.field(description="true: accept (and countersign); false: reject, with a reason")
    reason: str = ""


@strawberry.type
class AcknowledgePayload:
    acknowledgement: Acknowledgement | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def acknowledge(info: Info, input: AcknowledgeInput) -> AcknowledgePayload:
    context = info.context
    actor = context.require_actor()

    row, errors = await attempt(acknowledgements.acknowledge(
        actor, require_id(input.id), accept=input.accept, reason=input.reason, clock=context.clock,
        documents=context.document_service))
    return AcknowledgePayload(acknowledgement=Acknowledgement.from_row(row) if row else None, errors=errors)
