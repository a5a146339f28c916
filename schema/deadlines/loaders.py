"""Loaders for acknowledgements' owners: one query per page, whatever the page size."""

from __future__ import annotations

from tortoise.expressions import Subquery
from tortoise.queryset import QuerySet

from domain.actors import Actor
from domain.models import User
from schema.loaders import records_by_id
from workflows import visibility


def _acknowledgement_owners(actor: Actor) -> QuerySet[User]:
    # Whoever may see an acknowledgement may see who at the buyer owns it (its name and e-mail, nothing else).
    return User.filter(id__in=Subquery(visibility.acknowledgements(actor).values("owner_id")))


owner_by_id = records_by_id(_acknowledgement_owners)
