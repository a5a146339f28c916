"""Queries for the audit trail: `auditEvents`, `auditEvent`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from tortoise.queryset import QuerySet

from schema.audit.types import AuditEvent
from schema.context import Info
from schema.filters import date_range, one_of, optional_id, require_id
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class AuditEventFilter:
    action: list[str] | None = strawberry.field(default=None, description="exact actions, e.g. `contract.issue`")
    subject_type: str | None = None
    subject_id: strawberry.ID | None = None
    supplier_id: strawberry.ID | None = None
    occurred_after: datetime | None = None
    occurred_before: datetime | None = None


def filter_audit_events(queryset: QuerySet, filter: AuditEventFilter) -> QuerySet:
    queryset = one_of(queryset, "action", filter.action, "action")
    if filter.subject_type is not None:
        queryset = queryset.filter(subject_type=filter.subject_type)
    if (subject_id := optional_id(filter.subject_id, "subjectId")) is not None:
        queryset = queryset.filter(subject_id=subject_id)
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    return date_range(queryset, "created_at", filter.occurred_after, filter.occurred_before,
                      ("occurredAfter", "occurredBefore"))


@strawberry.type
class AuditQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="Newest first; admins and auditors only.")
    async def audit_events(self, info: Info, first: int | None = None, after: str | None = None,
                           filter: AuditEventFilter | None = None) -> Connection[AuditEvent]:
        queryset = visibility.audit_events(info.context.require_actor())
        if filter is not None:
            queryset = filter_audit_events(queryset, filter)
        return await paginate(queryset, first=first, after=after, to_node=AuditEvent.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def audit_event(self, info: Info, id: strawberry.ID) -> AuditEvent | None:
        row = await visibility.get_visible(visibility.audit_events(info.context.require_actor()), require_id(id))
        return AuditEvent.from_row(row) if row else None
