"""`addQualificationDocument` and `removeQualificationDocument`: a supplier's licences and certificates."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.context import Info
from schema.enums import QualificationDocumentKind
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.parties.types import Organization, QualificationDocument
from workflows import qualification_documents


@strawberry.input
class AddQualificationDocumentInput:
    supplier_id: strawberry.ID
    kind: QualificationDocumentKind
    number: str
    title: str
    issued_on: date | None = None
    expires_on: date | None = strawberry.field(default=None, description="Null: valid without limit.")


@strawberry.type
class AddQualificationDocumentPayload:
    qualification_document: QualificationDocument | None = None
    supplier: Organization | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RemoveQualificationDocumentPayload:
    supplier: Organization | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def add_qualification_document(info: Info, input: AddQualificationDocumentInput,
                                     idempotency_key: str | None = None) -> AddQualificationDocumentPayload:
    context = info.context
    data = qualification_documents.QualificationDocumentInput(
        supplier_id=require_id(input.supplier_id, "supplierId"), kind=input.kind, number=input.number,
        title=input.title, issued_on=input.issued_on, expires_on=input.expires_on)
    row, errors = await attempt(qualification_documents.add_qualification_document(
        context.require_actor(), data, clock=context.clock, idempotency_key=idempotency_key))
    if row is None:
        return AddQualificationDocumentPayload(errors=errors)
    await row.fetch_related("organization")
    return AddQualificationDocumentPayload(qualification_document=QualificationDocument.from_row(row),
                                           supplier=Organization.from_row(row.organization))


async def remove_qualification_document(info: Info, id: strawberry.ID) -> RemoveQualificationDocumentPayload:
    context = info.context
    row, errors = await attempt(qualification_documents.remove_qualification_document(
        context.require_actor(), require_id(id), clock=context.clock))
    return RemoveQualificationDocumentPayload(supplier=Organization.from_row(row) if row else None, errors=errors)
