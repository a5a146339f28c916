"""`createTender`: a DRAFT tender with its lines, invited suppliers (or OPEN to a category), times and currency."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain import enums
from domain.money import DEFAULT_CURRENCY
from schema.context import Info
from schema.enums import TenderVisibility
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.tenders.types import Tender
from workflows import tendering


@strawberry.input(description="An item asked for: a positive quantity with at most 3 decimals.")
class TenderLineInput:
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str = "PCS"
    specification: str = ""
    required_by: date | None = None


@strawberry.input
class CreateTenderInput:
    title: str
    closes_at: datetime = strawberry.field(description="Bids are accepted strictly before this instant.")
    lines: list[TenderLineInput] = strawberry.field(description="1 to 500 lines.")
    visibility: TenderVisibility = strawberry.field(
        default=enums.TenderVisibility.INVITED,
        description="INVITED: to `invitedSupplierIds`; OPEN: to every qualified supplier of `category`.")
    invited_supplier_ids: list[strawberry.ID] = strawberry.field(default_factory=list)
    category: str = ""
    currency: str = DEFAULT_CURRENCY
    opens_at: datetime | None = strawberry.field(default=None, description="Bids are accepted from this instant.")
    description: str = ""


@strawberry.type
class CreateTenderPayload:
    tender: Tender | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def to_workflow_input(data: CreateTenderInput) -> tendering.TenderInput:
    return tendering.TenderInput(
        title=data.title, closes_at=data.closes_at, visibility=enums.TenderVisibility(data.visibility),
        invited_supplier_ids=tuple(require_id(value, f"invitedSupplierIds[{i}]")
                                   for i, value in enumerate(data.invited_supplier_ids)),
        category=data.category, currency=data.currency, opens_at=data.opens_at, description=data.description,
        lines=tuple(tendering.TenderLineInput(item_code=line.item_code, item_name=line.item_name,
                                              quantity=line.quantity, unit=line.unit,
                                              specification=line.specification, required_by=line.required_by)
                    for line in data.lines),
    )


async def create_tender(info: Info, input: CreateTenderInput,
                        idempotency_key: str | None = None) -> CreateTenderPayload:
    context = info.context
    data = to_workflow_input(input)
    result, errors = await attempt(tendering.create_tender(context.require_actor(), data, clock=context.clock,
                                                           idempotency_key=idempotency_key))
    return CreateTenderPayload(tender=Tender.from_row(result[0]) if result else None, errors=errors)
