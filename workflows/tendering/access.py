"""Finding a tender: every lookup goes through the visibility scopes. Who may manage tenders: `workflows.staff`."""

from __future__ import annotations

import uuid

from domain.actors import Actor
from domain.errors import NotFound
from domain.models import Tender
from workflows import visibility


async def visible_tender(actor: Actor, tender_id: uuid.UUID | None, field: str = "id") -> Tender:
    """The tender if `actor` may see it; NotFound otherwise, exactly as for a missing one."""
    tender = await visibility.get_visible(visibility.tenders(actor), tender_id)
    if tender is None:
        raise NotFound("no such tender", field=field)
    return tender
