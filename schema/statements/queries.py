"""Queries for statements: `statements`, `statement`."""

from __future__ import annotations

import re

import strawberry
from tortoise.queryset import QuerySet

from schema.context import Info
from schema.enums import StatementStatus
from schema.errors import PublicError
from schema.filters import one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from schema.statements.types import Statement
from workflows import visibility

PERIOD_FORMAT = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@strawberry.input
class StatementFilter:
    status: list[StatementStatus] | None = None
    supplier_id: strawberry.ID | None = None
    period: str | None = strawberry.field(default=None, description="the month, YYYY-MM, e.g. 2026-03")
    search: str | None = strawberry.field(default=None, description="in the statement number")


def require_period(value: str) -> str:
    """A month as YYYY-MM; anything else is a clear input error."""
    period = value.strip()
    if not PERIOD_FORMAT.fullmatch(period):
        raise PublicError("`period` must be a month written YYYY-MM, e.g. 2026-03")
    return period


def filter_statements(queryset: QuerySet, filter: StatementFilter) -> QuerySet:
    queryset = one_of(queryset, "status", filter.status, "status")
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    if filter.period is not None:
        queryset = queryset.filter(period=require_period(filter.period))
    return search(queryset, filter.search, ("number",))


@strawberry.type
class StatementsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def statements(self, info: Info, first: int | None = None, after: str | None = None,
                         filter: StatementFilter | None = None) -> Connection[Statement]:
        queryset = visibility.statements(info.context.require_actor())
        if filter is not None:
            queryset = filter_statements(queryset, filter)
        return await paginate(queryset, first=first, after=after, to_node=Statement.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def statement(self, info: Info, id: strawberry.ID) -> Statement | None:
        row = await visibility.get_visible(visibility.statements(info.context.require_actor()), require_id(id))
        return Statement.from_row(row) if row else None
