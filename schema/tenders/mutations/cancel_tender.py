"""`cancelTender`: cancel a tender with a reason; its pending bid acknowledgements are cancelled."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Tender
from workflows import tendering


@strawberry.input
class CancelTenderInput:
    id: strawberry.ID
    reason: str = strawberry.field(description="1 to 500 characters.")


@strawberry.type
class CancelTenderPayload:
    tender: Tender | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def cancel_tender(info: Info, input: CancelTenderInput) -> CancelTenderPayload:
    context = info.context
    row, errors = await attempt(tendering.cancel_tender(context.require_actor(), require_id(input.id), input.reason,
                                                        clock=context.clock))
    return CancelTenderPayload(tender=Tender.from_row(row) if row else None, errors=errors)
