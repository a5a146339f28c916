"""`notificationAdded`: the viewer's new notifications, pushed over a WebSocket (graphql-transport-ws).

Notifications are written by any process (a request, the scheduler of another server, `portal tick`), so the stream
polls the database rather than listening in memory: about once a second it reads the viewer's notifications through
the (user, created_at) index, and yields each one once. It re-reads a short lookback window each time, so a row that
committed late (a long transaction, another server's slightly different clock) is still delivered, and remembers what
it yielded within that window, so nothing is delivered twice. Notifications already there when the stream starts are
not replayed: the inbox (`notifications`) has them.

The socket authenticated once, at connection_init (api/app.py); the stream checks every half minute that the token is
still valid and ends when it is not (logged out, revoked, expired).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncGenerator
from datetime import datetime, timedelta

import strawberry

from domain.actors import Actor
from domain.models import Notification as NotificationRow
from schema.context import Info
from schema.notifications.types import Notification
from schema.permissions import IsAuthenticated
from workflows import identity, visibility

POLL_SECONDS = 1.0
LOOKBACK = timedelta(minutes=2)
MAX_PER_POLL = 200
REAUTHENTICATE_SECONDS = 30.0


class NewNotifications:
    """The actor's notifications created after `start`, each returned once by successive `poll`s."""

    def __init__(self, actor: Actor, start: datetime) -> None:
        self.actor = actor
        self.watermark = start  # the newest created_at seen (or the start)
        self.seen: dict[uuid.UUID, datetime] = {}  # yielded (or already there) within the lookback window

    def _window(self):  # noqa: ANN202 - a QuerySet of notification rows
        return visibility.notifications(self.actor).filter(created_at__gte=self.watermark - LOOKBACK)

    async def prime(self) -> None:
        """Take what is already there as seen: the stream only brings what comes afterwards."""
        for row_id, created_at in await self._window().values_list("id", "created_at"):
            self.seen[row_id] = created_at

    async def poll(self) -> list[NotificationRow]:
        """The notifications not returned before, oldest first."""
        query = self._window()
        if self.seen:
            query = query.exclude(id__in=list(self.seen))
        rows = await query.order_by("created_at", "id").limit(MAX_PER_POLL)
        for row in rows:
            self.seen[row.id] = row.created_at
            self.watermark = max(self.watermark, row.created_at)
        floor = self.watermark - LOOKBACK
        self.seen = {row_id: at for row_id, at in self.seen.items() if at >= floor}
        return rows


@strawberry.type
class NotificationsSubscription:
    @strawberry.subscription(permission_classes=[IsAuthenticated],
                             description="The viewer's new notifications, as they arrive (each once).")
    async def notification_added(self, info: Info) -> AsyncGenerator[Notification, None]:
        context = info.context
        feed = NewNotifications(context.require_actor(), context.clock.now())
        await feed.prime()
        loop = asyncio.get_running_loop()
        checked_at = loop.time()
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if loop.time() - checked_at >= REAUTHENTICATE_SECONDS:
                checked_at = loop.time()
                if context.token_secret is None or await identity.authenticate(
                        context.token_secret, clock=context.clock) is None:
                    return
            for row in await feed.poll():
                yield Notification.from_row(row)
