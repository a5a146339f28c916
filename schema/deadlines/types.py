"""GraphQL types for acknowledgements and the staff member who owns each, escalation policies and the working
calendar."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry

from domain import models as m
from domain.deadlines import is_overdue
from schema.context import Info
from schema.deadlines.loaders import owner_by_id
from schema.documents.loaders import document_by_id
from schema.documents.types import Document
from schema.enums import AcknowledgementKind, AcknowledgementStatus
from schema.parties.types import Organization, load_organization
from workflows.deadlines import calendar, policy_admin


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


EscalationTarget = strawberry.enum(policy_admin.EscalationTarget)
FinalAction = strawberry.enum(policy_admin.FinalAction)
CalendarSource = strawberry.enum(calendar.CalendarSource)


@strawberry.type(description="After the due time, tell `to` (the document's owner, or the owner's manager).")
class EscalationStep:
    after_hours: int = strawberry.field(description="Hours after the due time.")
    to: EscalationTarget


@strawberry.type(description="How acknowledgements of one kind are chased. A new due time applies to acknowledgements "
                             "opened afterwards; the reminders, steps and final action of the policy in force are "
                             "read each time the scheduler acts.")
class EscalationPolicy:
    kind: AcknowledgementKind
    due_hours: int | None = strawberry.field(description="Due this many hours after sending, or:")
    due_working_days: int | None = strawberry.field(
        description="this many working days of the buyer's calendar (for TENDER_BID neither: due when it closes).")
    reminder_hours: list[int] = strawberry.field(description="Reminders this many hours before the due time.")
    escalation_steps: list[EscalationStep]
    final_action: FinalAction
    final_after_hours: int = strawberry.field(description="The final action this many hours after the due time.")
    is_default: bool = strawberry.field(description="No admin has changed it: the built-in default.")
    updated_at: datetime | None

    @classmethod
    def from_view(cls, view: policy_admin.PolicyView) -> EscalationPolicy:
        policy = view.policy
        return cls(
            kind=view.kind, due_hours=policy.due_hours, due_working_days=policy.due_working_days,
            reminder_hours=list(policy.reminder_hours),
            escalation_steps=[EscalationStep(after_hours=int(step["after_hours"]), to=EscalationTarget(step["to"]))
                              for step in policy.escalation_steps],
            final_action=FinalAction(policy.final_action), final_after_hours=policy.final_after_hours,
            is_default=view.is_default, updated_at=view.updated_at,
        )


@strawberry.type(description="A day that is not what its weekday says (a holiday, an adjusted working day), or a named "
                             "holiday on a weekend; `source` says whether an admin set it.")
class CalendarDay:
    day: date
    is_working_day: bool
    note: str
    source: CalendarSource

    @classmethod
    def from_exception(cls, exception: calendar.CalendarException) -> CalendarDay:
        return cls(day=exception.day, is_working_day=exception.is_working_day, note=exception.note,
                   source=exception.source)
