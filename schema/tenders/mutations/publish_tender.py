"""`publishTender`: send a draft tender to its suppliers (validated), each with an acknowledgement due at the close."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Tender
from workflows import tendering


@strawberry.input
class PublishTenderInput:
    id: strawberry.ID


@strawberry.type
class PublishTenderPayload:
    tender: Tender | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def publish_tender(info: Info, input: PublishTenderInput) -> PublishTenderPayload:
    context = info.context
    row, errors = await attempt(tendering.publish_tender(context.require_actor(), require_id(input.id),
                                                         clock=context.clock))
    return PublishTenderPayload(tender=Tender.from_row(row) if row else None, errors=errors)
