"""Who is acting: the authenticated user, their organisation and roles. Passed explicitly to every workflow."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.enums import BUYER_ROLES, OrgKind, Role


@dataclass(frozen=True)
class Actor:
    user_id: uuid.UUID
    org_id: uuid.UUID
    org_kind: OrgKind
    roles: frozenset[Role]
    email: str = ""

    @property
    def is_supplier(self) -> bool:
        return self.org_kind is OrgKind.SUPPLIER

    @property
    def is_staff(self) -> bool:
        """A buyer-side user with at least one staff role."""
        return self.org_kind is OrgKind.BUYER and bool(self.roles & BUYER_ROLES)

    @property
    def supplier_id(self) -> uuid.UUID | None:
        """The actor's organisation when it is a supplier: what the audit trail files the actor's events under."""
        return self.org_id if self.is_supplier else None

    def has_any(self, roles: frozenset[Role] | set[Role]) -> bool:
        return bool(self.roles & roles)
