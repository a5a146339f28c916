"""Queries for parties: `viewer`, `suppliers`, `supplier`."""

from __future__ import annotations

import strawberry

from domain.models import User as UserRow
from schema.context import Info
from schema.enums import QualificationStatus
from schema.filters import one_of, require_id, search
from schema.pagination import Connection, paginate
from schema.parties.types import Organization, User
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class SupplierFilter:
    qualification_status: list[QualificationStatus] | None = None
    category: str | None = None
    search: str | None = strawberry.field(default=None, description="in code and names")


@strawberry.type
class PartiesQuery:
    @strawberry.field(description="The signed-in user, or null for an anonymous caller.")
    async def viewer(self, info: Info) -> User | None:
        actor = info.context.actor
        if actor is None:
            return None
        row = await UserRow.get_or_none(id=actor.user_id)
        return User.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def suppliers(self, info: Info, first: int | None = None, after: str | None = None,
                        filter: SupplierFilter | None = None) -> Connection[Organization]:
        queryset = visibility.suppliers(info.context.require_actor())
        if filter is not None:
            queryset = one_of(queryset, "qualification_status", filter.qualification_status, "qualificationStatus")
            queryset = search(queryset, filter.search, ("code", "name_zh", "name_en"))
            if filter.category:
                # categories is a small JSON list; filter in the database by its text form.
                queryset = queryset.filter(categories__contains=[filter.category[:64]])
        return await paginate(queryset, first=first, after=after, to_node=Organization.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def supplier(self, info: Info, id: strawberry.ID) -> Organization | None:
        row = await visibility.get_visible(visibility.suppliers(info.context.require_actor()), require_id(id))
        return Organization.from_row(row) if row else None
