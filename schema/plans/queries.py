"""Queries for production plans: `productionPlans`, `productionPlan`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from schema.context import Info
from schema.enums import PlanStatus
from schema.filters import date_range, one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from schema.plans.types import ProductionPlan
from workflows import visibility


@strawberry.input
class ProductionPlanFilter:
    status: list[PlanStatus] | None = None
    supplier_id: strawberry.ID | None = strawberry.field(default=None, description="plans addressed to this supplier")
    published_after: datetime | None = None
    published_before: datetime | None = None
    search: str | None = strawberry.field(default=None, description="in the plan number and title")


def filter_plans(queryset: QuerySet, filter: ProductionPlanFilter, actor: Actor) -> QuerySet:
    queryset = one_of(queryset, "status", filter.status, "status")
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        # Through the viewer's recipient scope: a supplier cannot learn who else a plan went to.
        addressed = visibility.plan_recipients(actor).filter(supplier_id=supplier_id)
        queryset = queryset.filter(id__in=Subquery(addressed.values("plan_id")))
    queryset = date_range(queryset, "published_at", filter.published_after, filter.published_before,
                          ("publishedAfter", "publishedBefore"))
    return search(queryset, filter.search, ("number", "title"))


@strawberry.type
class PlansQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def production_plans(self, info: Info, first: int | None = None, after: str | None = None,
                               filter: ProductionPlanFilter | None = None) -> Connection[ProductionPlan]:
        actor = info.context.require_actor()
        queryset = visibility.production_plans(actor)
        if filter is not None:
            queryset = filter_plans(queryset, filter, actor)
        return await paginate(queryset, first=first, after=after, to_node=ProductionPlan.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def production_plan(self, info: Info, id: strawberry.ID) -> ProductionPlan | None:
        row = await visibility.get_visible(visibility.production_plans(info.context.require_actor()), require_id(id))
        return ProductionPlan.from_row(row) if row else None
