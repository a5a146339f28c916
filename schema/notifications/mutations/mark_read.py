"""`markNotificationsRead`: the viewer marks their own notifications read, by id or all at once."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from workflows import visibility
from workflows.notifications.reading import MAX_IDS, mark_notifications_read as mark_read


@strawberry.type
class MarkNotificationsReadPayload:
    marked: int = strawberry.field(default=0, description="How many were unread and are now read.")
    unread_count: int | None = strawberry.field(default=None, description="The viewer's unread notifications now.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def mark_notifications_read(info: Info, ids: list[strawberry.ID] | None = None,
                                  all: bool = False) -> MarkNotificationsReadPayload:  # noqa: A002 - the API's name
    context = info.context
    actor = context.require_actor()
    parsed = [require_id(value, "ids") for value in (ids or [])[:MAX_IDS + 1]]
    marked, errors = await attempt(mark_read(actor, parsed, all_unread=all, clock=context.clock))
    if errors:
        return MarkNotificationsReadPayload(errors=errors)
    unread = await visibility.notifications(actor).filter(read_at__isnull=True).count()
    return MarkNotificationsReadPayload(marked=marked or 0, unread_count=unread)
