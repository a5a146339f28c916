"""Reading the inbox: a user marks their own notifications read, some by id or all at once.

Reading changes nobody's obligations, so it writes no audit event. A notification already read keeps the time it
was first read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from domain.actors import Actor
from domain.clock import Clock
from domain.errors import NotFound, ValidationFailed
from workflows import visibility

MAX_IDS = 500


async def mark_notifications_read(actor: Actor, ids: Sequence[uuid.UUID] | None = None, *, all_unread: bool = False,
                                  clock: Clock) -> int:
    """Mark read the actor's notifications `ids`, or every unread one (`all_unread`); returns how many were unread.

    Refuses INVALID when neither or both are given or there are too many ids, and NOT_FOUND (field `ids`) when any id
    is not one of the actor's notifications (another user's looks exactly like a missing one); then nothing changes."""
    inbox = visibility.notifications(actor)
    now = clock.now()
    if all_unread:
        if ids:
            raise ValidationFailed("give ids or all, not both", field="ids")
        return await inbox.filter(read_at__isnull=True).update(read_at=now)
    if not ids:
        raise ValidationFailed("give the ids to mark read, or all: true", field="ids")
    wanted = set(ids)
    if len(wanted) > MAX_IDS:
        raise ValidationFailed(f"at most {MAX_IDS} ids at once", field="ids")
    found = set(await inbox.filter(id__in=list(wanted)).values_list("id", flat=True))
    if missing := wanted - found:
        raise NotFound(f"no such notification: {sorted(map(str, missing))[0]}", field="ids")
    return await inbox.filter(id__in=list(wanted), read_at__isnull=True).update(read_at=now)
