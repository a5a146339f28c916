"""How responsive a supplier is: of what the portal sent it lately, how much it answered, how fast, how often on time.

Over the acknowledgements sent in a window (default: the last 180 days), CANCELLED ones left out (their subject was
withdrawn: nobody could answer them):
- `sent`: how many; `answered`: accepted or rejected (an answer either way);
- `answered_on_time`: answered no later than the due time; `decided`: those whose outcome is known (answered, or
  still open past the due time). `on_time_share` = answered_on_time / decided; an acknowledgement still pending and
  not yet due counts for neither, so a supplier is not judged on what it may still answer in time;
- `median_hours_to_answer`: the median of answered_at - created_at over the answered ones;
- `overdue_now`: its acknowledgements open and past due right now, however old (an old unanswered one still matters).

For any number of suppliers it costs two queries: the counts are aggregated by the database (grouped by supplier), and
the answer times of the window's answered rows are read to take their medians (not portable as SQL).
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.functions import Count
from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.deadlines import overdue_condition
from domain.enums import AcknowledgementStatus as AS
from domain.errors import ValidationFailed
from workflows import visibility

DEFAULT_WINDOW_DAYS = 180
MAX_WINDOW_DAYS = 730
ANSWERED = (AS.ACKNOWLEDGED.value, AS.REJECTED.value)


@dataclass(frozen=True)
class Responsiveness:
    supplier_id: uuid.UUID
    window_days: int
    sent: int = 0
    answered: int = 0
    answered_on_time: int = 0
    decided: int = 0
    overdue_now: int = 0
    median_hours_to_answer: float | None = None

    @property
    def on_time_share(self) -> float | None:
        """answered_on_time / decided, between 0 and 1; None when no outcome is known yet."""
        return self.answered_on_time / self.decided if self.decided else None


def checked_window(days: int) -> int:
    if not 1 <= days <= MAX_WINDOW_DAYS:
        raise ValidationFailed(f"the window is 1 to {MAX_WINDOW_DAYS} days", field="days")
    return days


def may_see_responsiveness(actor: Actor, supplier_id: uuid.UUID) -> bool:
    """Buyer staff who read acknowledgements see every supplier's; a supplier sees its own, never another's."""
    if actor.is_supplier:
        return actor.org_id == supplier_id
    return actor.is_staff and actor.has_any(visibility.READ_ROLES["acknowledgements"])


async def responsiveness_of(actor: Actor, supplier_ids: Iterable[uuid.UUID], *, now: datetime,
                            days: int = DEFAULT_WINDOW_DAYS) -> dict[uuid.UUID, Responsiveness]:
    """The responsiveness of each of `supplier_ids` the actor may see (others are left out), in two queries."""
    days = checked_window(days)
    ids = sorted({supplier_id for supplier_id in supplier_ids if may_see_responsiveness(actor, supplier_id)})
    if not ids:
        return {}
    since = now - timedelta(days=days)
    scope: QuerySet = visibility.acknowledgements(actor).filter(supplier_id__in=ids).exclude(status=AS.CANCELLED)
    in_window = Q(created_at__gte=since)
    overdue = overdue_condition(now)
    answered = Q(status__in=ANSWERED)
    counts = await (
        scope.filter(in_window | overdue)
        .annotate(
            sent=Count("id", _filter=in_window),
            answered=Count("id", _filter=in_window & answered),
            on_time=Count("id", _filter=in_window & answered & Q(answered_at__lte=F("due_at"))),
            overdue_in_window=Count("id", _filter=in_window & overdue),
            overdue_now=Count("id", _filter=overdue),
        )
        .group_by("supplier_id")
        .values("supplier_id", "sent", "answered", "on_time", "overdue_in_window", "overdue_now")
    )
    durations: dict[uuid.UUID, list[float]] = defaultdict(list)
    for supplier_id, created_at, answered_at in await scope.filter(
            in_window, answered, answered_at__isnull=False).values_list("supplier_id", "created_at", "answered_at"):
        durations[supplier_id].append((answered_at - created_at).total_seconds() / 3600)
    found = {supplier_id: Responsiveness(supplier_id, days) for supplier_id in ids}
    for row in counts:
        supplier_id = row["supplier_id"]
        hours = durations.get(supplier_id)
        found[supplier_id] = Responsiveness(
            supplier_id, days, sent=row["sent"], answered=row["answered"], answered_on_time=row["on_time"],
            decided=row["answered"] + row["overdue_in_window"], overdue_now=row["overdue_now"],
            median_hours_to_answer=round(statistics.median(hours), 2) if hours else None,
        )
    return found
