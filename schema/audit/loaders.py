"""Loaders for audit events' actors: one query per page, whatever the page size."""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.models import User
from schema.loaders import records_by_id
from workflows import visibility


def _audit_actors(actor: Actor) -> QuerySet[User]:
    # Whoever may read the audit trail may see who acted in it.
    return User.filter(id__in=Subquery(visibility.audit_events(actor).values("actor_user_id")))


audit_actor_by_id = records_by_id(_audit_actors)
