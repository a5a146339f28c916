"""Queries for tenders: `tenders`, `tender`, `tenderEvaluation`. Nothing here filters, counts or sorts over bids:
they are sealed (the evaluation exists only once a tender has closed, and reads bids through the sealed-bid scope)."""

from __future__ import annotations

from datetime import datetime

import strawberry
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from schema.context import Info
from schema.enums import TenderStatus
from schema.filters import date_range, one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from schema.tenders.types import Tender, TenderEvaluation
from workflows import tendering, visibility

MAX_CATEGORY_LENGTH = 64


@strawberry.input
class TenderFilter:
    status: list[TenderStatus] | None = None
    closes_after: datetime | None = None
    closes_before: datetime | None = None
    category: str | None = None
    supplier_id: strawberry.ID | None = strawberry.field(default=None, description="tenders it was invited to")
    search: str | None = strawberry.field(default=None, description="in the tender number and title")


def filter_tenders(queryset: QuerySet, filter: TenderFilter, actor: Actor) -> QuerySet:
    queryset = one_of(queryset, "status", filter.status, "status")
    queryset = date_range(queryset, "closes_at", filter.closes_after, filter.closes_before,
                          ("closesAfter", "closesBefore"))
    if filter.category:
        queryset = queryset.filter(category=filter.category[:MAX_CATEGORY_LENGTH])
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        # Through the viewer's own invitation scope: a supplier cannot learn who else was invited.
        invited = visibility.tender_invitations(actor).filter(supplier_id=supplier_id)
        queryset = queryset.filter(id__in=Subquery(invited.values("tender_id")))
    return search(queryset, filter.search, ("number", "title"))


@strawberry.type
class TendersQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def tenders(self, info: Info, first: int | None = None, after: str | None = None,
                      filter: TenderFilter | None = None) -> Connection[Tender]:
        actor = info.context.require_actor()
        queryset = visibility.tenders(actor)
        if filter is not None:
            queryset = filter_tenders(queryset, filter, actor)
        return await paginate(queryset, first=first, after=after, to_node=Tender.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def tender(self, info: Info, id: strawberry.ID) -> Tender | None:
        row = await visibility.get_visible(visibility.tenders(info.context.require_actor()), require_id(id))
        return Tender.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="Each line's prices side by side, lowest and average: buyer staff only, once the "
                                  "tender is closed or awarded; null before (the bids are sealed) and for anyone else.")
    async def tender_evaluation(self, info: Info, id: strawberry.ID) -> TenderEvaluation | None:
        evaluation = await tendering.tender_evaluation(info.context.require_actor(), require_id(id))
        return TenderEvaluation.from_evaluation(evaluation) if evaluation else None
