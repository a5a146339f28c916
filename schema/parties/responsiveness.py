"""A supplier's responsiveness in GraphQL (`Organization.responsiveness`), loaded for a whole page of suppliers at once.

The loader's key carries the request's clock and the window, so one page costs the same two queries whatever its size
(`workflows.deadlines.responsiveness`).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader

from domain.actors import Actor
from domain.clock import Clock
from workflows.deadlines import responsiveness


@strawberry.type(description="How a supplier answers what the portal sends it, over the last `windowDays` days "
                             "(cancelled acknowledgements left out).")
class SupplierResponsiveness:
    window_days: int
    sent: int = strawberry.field(description="Acknowledgements sent in the window.")
    answered: int = strawberry.field(description="Of those, accepted or rejected.")
    answered_on_time: int = strawberry.field(description="Of those, answered by the due time.")
    decided: int = strawberry.field(description="Of those sent, the ones whose outcome is known: answered, or open "
                                                "past the due time.")
    on_time_share: float | None = strawberry.field(
        description="answeredOnTime / decided, between 0 and 1; null when no outcome is known yet.")
    median_hours_to_answer: float | None = strawberry.field(
        description="Median hours from sending to the answer, over the answered ones.")
    overdue_now: int = strawberry.field(description="Its acknowledgements open and past due now, however old.")

    @classmethod
    def of(cls, record: responsiveness.Responsiveness) -> SupplierResponsiveness:
        return cls(window_days=record.window_days, sent=record.sent, answered=record.answered,
                   answered_on_time=record.answered_on_time, decided=record.decided,
                   on_time_share=record.on_time_share, median_hours_to_answer=record.median_hours_to_answer,
                   overdue_now=record.overdue_now)


@dataclass(frozen=True)
class ResponsivenessKey:
    supplier_id: uuid.UUID
    days: int
    clock: Clock  # the request's: every key of a page shares it


def responsiveness_by_supplier(actor: Actor) -> DataLoader:
    """Loads a supplier's responsiveness (None for one the actor may not see), batching the keys by window."""

    async def load(keys: list[ResponsivenessKey]) -> list[Any]:
        by_days: dict[tuple[int, Any], set[uuid.UUID]] = defaultdict(set)
        for key in keys:
            by_days[(key.days, key.clock)].add(key.supplier_id)
        found: dict[tuple[int, uuid.UUID], responsiveness.Responsiveness] = {}
        for (days, clock), supplier_ids in by_days.items():
            records = await responsiveness.responsiveness_of(actor, supplier_ids, now=clock.now(), days=days)
            found.update({(days, supplier_id): record for supplier_id, record in records.items()})
        return [found.get((key.days, key.supplier_id)) for key in keys]

    return DataLoader(load_fn=load)
