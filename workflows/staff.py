"""Role checks for staff actions that are not a transition of a record the actor can already see (creating a tender,
issuing an order): these are checked first, so a refusal reveals nothing. A transition's own roles are checked by
`transitions.check`.
"""

from __future__ import annotations

from domain.actors import Actor
from domain.enums import Role
from domain.errors import PermissionDenied

# Who runs sourcing and purchasing: tenders (creating, publishing, closing, awarding, cancelling) and orders.
PROCUREMENT_ROLES = frozenset({Role.PROCUREMENT, Role.ADMIN})


def require_procurement_staff(actor: Actor, doing: str) -> None:
    """Refuse (PERMISSION_DENIED) unless `actor` is buyer staff with a role in PROCUREMENT_ROLES. `doing` completes
    the message: "to {doing} takes the role ADMIN, PROCUREMENT"."""
    if not (actor.is_staff and actor.has_any(PROCUREMENT_ROLES)):
        roles = ", ".join(sorted(role.value for role in PROCUREMENT_ROLES))
        raise PermissionDenied(f"to {doing} takes the role {roles}")
