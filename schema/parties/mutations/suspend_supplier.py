"""`suspendSupplier`: QUALIFIED -> SUSPENDED with a reason; a suspended supplier cannot bid or be awarded.
Also `rejectSupplier`: APPLIED -> REJECTED with a reason."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import attempt
from schema.filters import require_id
from schema.parties.mutations.qualify_supplier import SupplierPayload, supplier_payload
from workflows import suppliers


async def suspend_supplier(info: Info, id: strawberry.ID, reason: str) -> SupplierPayload:
    context = info.context
    return supplier_payload(*await attempt(suppliers.suspend_supplier(
        context.require_actor(), require_id(id), reason=reason, clock=context.clock)))


async def reject_supplier(info: Info, id: strawberry.ID, reason: str) -> SupplierPayload:
    context = info.context
    return supplier_payload(*await attempt(suppliers.reject_supplier(
        context.require_actor(), require_id(id), reason=reason, clock=context.clock)))
