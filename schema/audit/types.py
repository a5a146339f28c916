"""GraphQL types for audit events."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from domain import models as m
from schema.audit.loaders import audit_actor_by_id
from schema.context import Info
from schema.parties.types import Organization, User, load_organization


@strawberry.type(description="One event of the audit trail; `hash` covers `prevHash` and the event, chaining them.")
class AuditEvent:
    id: strawberry.ID
    seq: int = strawberry.field(description="Position in the chain, from 1.")
    action: str
    subject_type: str
    subject_id: strawberry.ID | None
    created_at: datetime
    data: JSON
    prev_hash: str
    hash: str
    actor_user_id: strawberry.Private[uuid.UUID | None]
    actor_org_id: strawberry.Private[uuid.UUID | None]
    supplier_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="Who acted; null for the system (the scheduler, migrations).")
    async def actor(self, info: Info) -> User | None:
        if self.actor_user_id is None:
            return None
        row = await info.context.loader(audit_actor_by_id).load(self.actor_user_id)
        return User.from_row(row) if row else None

    @strawberry.field(description="The organisation the actor acted for.")
    async def actor_organization(self, info: Info) -> Organization | None:
        return await load_organization(info, self.actor_org_id)

    @strawberry.field(description="The supplier the subject belongs to, if any.")
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @classmethod
    def from_row(cls, row: m.AuditEvent) -> AuditEvent:
        return cls(
            id=strawberry.ID(str(row.id)), seq=row.seq, action=row.action, subject_type=row.subject_type,
            subject_id=strawberry.ID(str(row.subject_id)) if row.subject_id else None, created_at=row.created_at,
            data=row.data, prev_hash=row.prev_hash, hash=row.hash, actor_user_id=row.actor_user_id,
            actor_org_id=row.actor_org_id, supplier_id=row.supplier_id,
        )
