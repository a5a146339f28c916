"""DataLoader factories. Each starts from a visibility scope, so a loader can never return what its actor may not see.

A factory is a module-level object (its identity keys the request's loader cache): `Context.loader(factory)`.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from domain.actors import Actor

Scope = Callable[[Actor], QuerySet]


def records_by_id(scope: Scope) -> Callable[[Actor], DataLoader]:
    """Loads records by id; an id the actor may not see loads as None."""

    def factory(actor: Actor) -> DataLoader:
        async def load(keys: list[uuid.UUID]) -> list[Any]:
            rows = {row.id: row for row in await scope(actor).filter(id__in=list(set(keys)))}
            return [rows.get(key) for key in keys]

        return DataLoader(load_fn=load)

    return factory


def children_by_parent(scope: Scope, parent_field: str, order_by: str = "line_no") -> Callable[[Actor], DataLoader]:
    """Loads, for each parent id, the list of its visible children ordered by `order_by`."""

    def factory(actor: Actor) -> DataLoader:
        async def load(keys: list[uuid.UUID]) -> list[list[Any]]:
            grouped: dict[uuid.UUID, list[Any]] = defaultdict(list)
            rows = await scope(actor).filter(**{f"{parent_field}__in": list(set(keys))}).order_by(order_by)
            for row in rows:
                grouped[getattr(row, parent_field)].append(row)
            return [grouped.get(key, []) for key in keys]

        return DataLoader(load_fn=load)

    return factory


def one_child_by_parent(scope: Scope, parent_field: str) -> Callable[[Actor], DataLoader]:
    """Loads, for each parent id, its single visible child (or None)."""

    def factory(actor: Actor) -> DataLoader:
        async def load(keys: list[uuid.UUID]) -> list[Any]:
            rows = await scope(actor).filter(**{f"{parent_field}__in": list(set(keys))})
            found = {getattr(row, parent_field): row for row in rows}
            return [found.get(key) for key in keys]

        return DataLoader(load_fn=load)

    return factory
