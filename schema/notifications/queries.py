"""Queries for notifications: `notifications`, `notification`, `unreadNotificationCount`."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from schema.context import Info
from schema.filters import require_id
from schema.notifications.types import Notification
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class NotificationFilter:
    unread_only: bool | None = None
    kind: str | None = strawberry.field(default=None, description="exactly this kind, e.g. `contract.issued`")


def filter_notifications(queryset: QuerySet, filter: NotificationFilter) -> QuerySet:
    if filter.unread_only:
        queryset = queryset.filter(read_at__isnull=True)
    if filter.kind is not None:
        queryset = queryset.filter(kind=filter.kind)
    return queryset


@strawberry.type
class NotificationsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated], description="The viewer's inbox, newest first.")
    async def notifications(self, info: Info, first: int | None = None, after: str | None = None,
                            filter: NotificationFilter | None = None) -> Connection[Notification]:
        queryset = visibility.notifications(info.context.require_actor())
        if filter is not None:
            queryset = filter_notifications(queryset, filter)
        return await paginate(queryset, first=first, after=after, to_node=Notification.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def notification(self, info: Info, id: strawberry.ID) -> Notification | None:
        row = await visibility.get_visible(visibility.notifications(info.context.require_actor()), require_id(id))
        return Notification.from_row(row) if row else None

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def unread_notification_count(self, info: Info) -> int:
        return await visibility.notifications(info.context.require_actor()).filter(read_at__isnull=True).count()
