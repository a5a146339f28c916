"""Queries for parties: `viewer`, `users`, `suppliers`, `supplier`."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from domain.models import User as UserRow
from schema.context import Info
from schema.enums import QualificationStatus
from schema.errors import PublicError
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


MAX_CATEGORY_LENGTH = 64


async def with_category(queryset: QuerySet, category: str) -> QuerySet:
    """Suppliers serving `category`. Categories are a short JSON list per supplier, and JSON containment is not
    portable across SQLite and PostgreSQL, so the (few) candidate suppliers are matched here, then paged by id."""
    if not 1 <= len(category) <= MAX_CATEGORY_LENGTH:
        raise PublicError(f"`category` must have 1 to {MAX_CATEGORY_LENGTH} characters")
    rows = await queryset.values_list("id", "categories")
    return queryset.filter(id__in=[row_id for row_id, categories in rows if category in (categories or [])])


@strawberry.type
class PartiesQuery:
    @strawberry.field(description="The signed-in user, or null for an anonymous caller.")
    async def viewer(self, info: Info) -> User | None:
        actor = info.context.actor
        if actor is None:
            return None
        row = await UserRow.get_or_none(id=actor.user_id)
        return User.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated], description=(
        "The people of your own organisation: all of them for its admin (ADMIN, SUPPLIER_ADMIN), yourself otherwise."))
    async def users(self, info: Info, first: int | None = None, after: str | None = None) -> Connection[User]:
        return await paginate(visibility.users(info.context.require_actor()), first=first, after=after,
                              to_node=User.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def suppliers(self, info: Info, first: int | None = None, after: str | None = None,
                        filter: SupplierFilter | None = None) -> Connection[Organization]:
        queryset = visibility.suppliers(info.context.require_actor())
        if filter is not None:
            queryset = one_of(queryset, "qualification_status", filter.qualification_status, "qualificationStatus")
            queryset = search(queryset, filter.search, ("code", "name_zh", "name_en"))
            if filter.category is not None:
                queryset = await with_category(queryset, filter.category)
        return await paginate(queryset, first=first, after=after, to_node=Organization.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def supplier(self, info: Info, id: strawberry.ID) -> Organization | None:
        row = await visibility.get_visible(visibility.suppliers(info.context.require_actor()), require_id(id))
        return Organization.from_row(row) if row else None
