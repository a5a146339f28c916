"""`qualifySupplier`: APPLIED or SUSPENDED -> QUALIFIED; the supplier gets its signing certificate on the way."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.parties.types import Organization
from workflows import suppliers


@strawberry.type
class SupplierPayload:
    """The supplier after a change of its qualification status."""

    supplier: Organization | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def supplier_payload(row, errors: list[UserError]) -> SupplierPayload:  # noqa: ANN001 - an Organization row
    return SupplierPayload(supplier=Organization.from_row(row) if row else None, errors=errors)


async def qualify_supplier(info: Info, id: strawberry.ID, note: str = "") -> SupplierPayload:
    context = info.context
    actor = context.require_actor()

    async def run():  # noqa: ANN202
        supplier_id = require_id(id)
        service = await context.document_service()  # its master key seals the supplier's new signing key
        return await suppliers.qualify_supplier(actor, supplier_id, note=note, clock=context.clock,
                                                master=service.master)

    return supplier_payload(*await attempt(run()))
