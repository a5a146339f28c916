"""Who may act on a tender, and finding it: every lookup goes through the visibility scopes."""

from __future__ import annotations

import uuid

from domain.actors import Actor
from domain.errors import NotFound, PermissionDenied
from domain.models import Tender
from workflows import transitions as tt
from workflows import visibility

# Creating a tender takes the roles that publish one.
MANAGING_ROLES = tt.TENDER["publish"].roles


def require_managing_staff(actor: Actor, action: str) -> None:
    """Refuse (PERMISSION_DENIED) unless `actor` is buyer staff who manage tenders (procurement, admin)."""
    if not (actor.is_staff and actor.has_any(MANAGING_ROLES)):
        roles = ", ".join(sorted(role.value for role in MANAGING_ROLES))
        raise PermissionDenied(f"to {action} a tender takes the role {roles}")


async def visible_tender(actor: Actor, tender_id: uuid.UUID | None, field: str = "id") -> Tender:
    """The tender if `actor` may see it; NotFound otherwise, exactly as for a missing one."""
    tender = await visibility.get_visible(visibility.tenders(actor), tender_id)
    if tender is None:
        raise NotFound("no such tender", field=field)
    return tender
