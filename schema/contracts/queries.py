"""Queries for contracts: `contracts`, `contract`."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from tortoise.queryset import QuerySet

from schema.context import Info
from schema.contracts.types import Contract
from schema.enums import ContractStatus
from schema.filters import date_range, one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class ContractFilter:
    status: list[ContractStatus] | None = None
    supplier_id: strawberry.ID | None = None
    valid_on: date | None = strawberry.field(default=None, description="contracts in force on this day")
    issued_after: datetime | None = None
    issued_before: datetime | None = None
    search: str | None = strawberry.field(default=None, description="in the contract number and title")


def filter_contracts(queryset: QuerySet, filter: ContractFilter) -> QuerySet:
    queryset = one_of(queryset, "status", filter.status, "status")
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    if filter.valid_on is not None:
        queryset = queryset.filter(valid_from__lte=filter.valid_on, valid_to__gte=filter.valid_on)
    queryset = date_range(queryset, "issued_at", filter.issued_after, filter.issued_before,
                          ("issuedAfter", "issuedBefore"))
    return search(queryset, filter.search, ("number", "title"))


@strawberry.type
class ContractsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def contracts(self, info: Info, first: int | None = None, after: str | None = None,
                        filter: ContractFilter | None = None) -> Connection[Contract]:
        queryset = visibility.contracts(info.context.require_actor())
        if filter is not None:
            queryset = filter_contracts(queryset, filter)
        return await paginate(queryset, first=first, after=after, to_node=Contract.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def contract(self, info: Info, id: strawberry.ID) -> Contract | None:
        row = await visibility.get_visible(visibility.contracts(info.context.require_actor()), require_id(id))
        return Contract.from_row(row) if row else None
