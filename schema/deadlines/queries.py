"""Queries for deadlines: `acknowledgements`, `acknowledgement`, `escalationPolicies`, `calendarDays`."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import strawberry
from tortoise.queryset import QuerySet

from domain.deadlines import overdue_condition
from schema.context import Info
from schema.deadlines.types import Acknowledgement, CalendarDay, EscalationPolicy
from schema.enums import AcknowledgementKind, AcknowledgementStatus
from schema.errors import PublicError
from schema.filters import date_range, one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility
from workflows.deadlines import calendar, policy_admin

MAX_CALENDAR_SPAN_DAYS = 731


@strawberry.input
class AcknowledgementFilter:
    status: list[AcknowledgementStatus] | None = None
    kind: list[AcknowledgementKind] | None = None
    supplier_id: strawberry.ID | None = None
    owner_id: strawberry.ID | None = None
    overdue: bool | None = strawberry.field(
        default=None, description="true: open and past due now; false: answered, cancelled or not yet due"
    )
    due_after: datetime | None = None
    due_before: datetime | None = None
    search: str | None = strawberry.field(default=None, description="in the subject's number")


def filter_overdue(queryset: QuerySet, overdue: bool | None, now: datetime) -> QuerySet:
    if overdue is None:
        return queryset
    return queryset.filter(overdue_condition(now)) if overdue else queryset.exclude(overdue_condition(now))


def filter_acknowledgements(queryset: QuerySet, filter: AcknowledgementFilter, now: datetime) -> QuerySet:
    queryset = one_of(queryset, "status", filter.status, "status")
    queryset = one_of(queryset, "kind", filter.kind, "kind")
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    if (owner_id := optional_id(filter.owner_id, "ownerId")) is not None:
        queryset = queryset.filter(owner_id=owner_id)
    queryset = filter_overdue(queryset, filter.overdue, now)
    queryset = date_range(queryset, "due_at", filter.due_after, filter.due_before, ("dueAfter", "dueBefore"))
    return search(queryset, filter.search, ("subject_number",))


@strawberry.type
class DeadlinesQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def acknowledgements(self, info: Info, first: int | None = None, after: str | None = None,
                               filter: AcknowledgementFilter | None = None) -> Connection[Acknowledgement]:
        queryset = visibility.acknowledgements(info.context.require_actor())
        if filter is not None:
            queryset = filter_acknowledgements(queryset, filter, info.context.clock.now())
        return await paginate(queryset, first=first, after=after, to_node=Acknowledgement.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def acknowledgement(self, info: Info, id: strawberry.ID) -> Acknowledgement | None:
        row = await visibility.get_visible(visibility.acknowledgements(info.context.require_actor()), require_id(id))
        return Acknowledgement.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="Every kind's escalation policy in force (an admin's, or the default). Buyer staff "
                                  "only: empty for anyone else.")
    async def escalation_policies(self, info: Info) -> list[EscalationPolicy]:
        views = await policy_admin.escalation_policies(info.context.require_actor())
        return [EscalationPolicy.from_view(view) for view in views]

    @strawberry.field(permission_classes=[IsAuthenticated],
                      description="The exceptions to the Monday-to-Friday week between `from` and `to` (inclusive, at "
                                  "most two years): public holidays and adjusted working days from the `holidays` "
                                  "package, overridden by admins' days. Buyer staff only: empty for anyone else.")
    async def calendar_days(self, info: Info, from_: Annotated[date, strawberry.argument(name="from")],
                            to: date) -> list[CalendarDay]:
        if from_ > to:
            raise PublicError("`from` is after `to`: the range is empty")
        if (to - from_).days >= MAX_CALENDAR_SPAN_DAYS:
            raise PublicError(f"`from` to `to` spans at most {MAX_CALENDAR_SPAN_DAYS} days")
        if not info.context.require_actor().is_staff:
            return []
        return [CalendarDay.from_exception(exception) for exception in await calendar.calendar_exceptions(from_, to)]
