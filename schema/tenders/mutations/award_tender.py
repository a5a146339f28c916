"""`awardTender`: the whole tender to one bid, or split by line between bids; one signed award notice per winner."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.documents.types import Document
from schema.errors import UserError, attempt
from schema.filters import optional_id, require_id
from schema.tenders.types import Award, Tender
from workflows import tendering


@strawberry.input
class AwardLineInput:
    tender_line_id: strawberry.ID
    bid_id: strawberry.ID


@strawberry.input(description="Either `bidId` (the whole tender) or `lines` (split by line), not both.")
class AwardTenderInput:
    id: strawberry.ID
    bid_id: strawberry.ID | None = None
    lines: list[AwardLineInput] | None = None


@strawberry.type
class AwardTenderPayload:
    tender: Tender | None = None
    awards: list[Award] = strawberry.field(default_factory=list)
    notices: list[Document] = strawberry.field(default_factory=list, description="The signed award notices.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def award_tender(info: Info, input: AwardTenderInput) -> AwardTenderPayload:
    context = info.context
    lines = [tendering.AwardLineInput(tender_line_id=require_id(line.tender_line_id, f"lines[{i}].tenderLineId"),
                                      bid_id=require_id(line.bid_id, f"lines[{i}].bidId"))
             for i, line in enumerate(input.lines or [])]

    async def run() -> tendering.AwardResult:
        service = await context.document_service()  # before anything changes: the award needs its notices
        return await tendering.award_tender(context.require_actor(), require_id(input.id),
                                            bid_id=optional_id(input.bid_id, "bidId"), lines=lines,
                                            clock=context.clock, service=service)

    result, errors = await attempt(run())
    if result is None:
        return AwardTenderPayload(errors=errors)
    currency = result.tender.currency
    return AwardTenderPayload(tender=Tender.from_row(result.tender),
                              awards=[Award.from_row(row, currency) for row in result.awards],
                              notices=[Document.from_row(row) for row in result.notices])
