"""GraphQL types for acknowledgements and the staff member who owns each."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from domain import models as m
from domain.deadlines import is_overdue
from schema.context import Info
from schema.deadlines.loaders import owner_by_id
from schema.documents.loaders import document_by_id
from schema.documents.types import Document
from schema.enums import AcknowledgementKind, AcknowledgementStatus
from schema.parties.types import Organization, load_organization


@strawberry.type(description="A buyer staff member a supplier may contact: name and e-mail only.")
class StaffContact:
    id: strawberry.ID
    display_name: str
    email: str

    @classmethod
    def from_row(cls, row: m.User) -> StaffContact:
        return cls(id=strawberry.ID(str(row.id)), display_name=row.display_name, email=row.email)


@strawberry.type(description="What a supplier must answer (accept or reject) and by when.")
class Acknowledgement:
    id: strawberry.ID
    kind: AcknowledgementKind
    status: AcknowledgementStatus
    subject_type: str
    subject_id: strawberry.ID
    subject_number: str
    due_at: datetime
    escalation_level: int
    reminders_sent: int
    answered_at: datetime | None
    rejection_reason: str
    created_at: datetime
    supplier_id: strawberry.Private[uuid.UUID]
    owner_id: strawberry.Private[uuid.UUID]
    document_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="Open and past its due time, by the server's clock.")
    def overdue(self, info: Info) -> bool:
        return is_overdue(self.status, self.due_at, info.context.clock.now())

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field(description="The buyer's staff member who owns the subject and is escalated to.")
    async def owner(self, info: Info) -> StaffContact | None:
        row = await info.context.loader(owner_by_id).load(self.owner_id)
        return StaffContact.from_row(row) if row else None

    @strawberry.field(description="The signed document to acknowledge, if any and if the viewer may see it.")
    async def document(self, info: Info) -> Document | None:
        if self.document_id is None:
            return None
        row = await info.context.loader(document_by_id).load(self.document_id)
        return Document.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: m.Acknowledgement) -> Acknowledgement:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, status=row.status, subject_type=row.subject_type,
            subject_id=strawberry.ID(str(row.subject_id)), subject_number=row.subject_number, due_at=row.due_at,
            escalation_level=row.escalation_level, reminders_sent=row.reminders_sent, answered_at=row.answered_at,
            rejection_reason=row.rejection_reason, created_at=row.created_at, supplier_id=row.supplier_id,
            owner_id=row.owner_id, document_id=row.document_id,
        )
