"""`closeTender`: open the bids by hand (before the closing time only once every invitee has bid or declined), and
issue the signed opening record."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.documents.types import Document
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Tender
from workflows import tendering


@strawberry.input
class CloseTenderInput:
    id: strawberry.ID


@strawberry.type
class CloseTenderPayload:
    tender: Tender | None = None
    opening_record: Document | None = strawberry.field(default=None, description="The signed opening record.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def close_tender(info: Info, input: CloseTenderInput) -> CloseTenderPayload:
    context = info.context

    async def run() -> tendering.ClosedTender:
        service = await context.document_service()  # before anything changes: closing needs its signed record
        return await tendering.close_tender(context.require_actor(), require_id(input.id), clock=context.clock,
                                            service=service)

    closed, errors = await attempt(run())
    if closed is None:
        return CloseTenderPayload(errors=errors)
    record = closed.opening_record
    return CloseTenderPayload(tender=Tender.from_row(closed.tender),
                              opening_record=Document.from_row(record) if record else None)
