"""Deadlines: what a supplier must answer and by when, the policies that chase them, and the working calendar."""

from __future__ import annotations

from tortoise import fields

from domain.enums import AcknowledgementKind, AcknowledgementStatus
from domain.models.base import Record


class EscalationPolicy(Record):
    kind = fields.CharEnumField(AcknowledgementKind, max_length=24, unique=True)
    due_hours = fields.IntField(null=True, description="due this many hours after sending")
    due_working_days = fields.IntField(null=True, description="or this many working days (buyer's calendar)")
    reminder_hours = fields.JSONField(default=list, description="hours before the due time, e.g. [24, 2]")
    escalation_steps = fields.JSONField(default=list, description='[{"after_hours": 0, "to": "OWNER"}, …]')
    final_action = fields.CharField(max_length=32, default="NONE", description="e.g. EXPIRE_OFFER")
    final_after_hours = fields.IntField(default=72, db_default=72,
                                        description="the final action this many hours after the due time")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "escalation_policy"


class Acknowledgement(Record):
    kind = fields.CharEnumField(AcknowledgementKind, max_length=24)
    subject_type = fields.CharField(max_length=32)
    subject_id = fields.UUIDField()
    subject_number = fields.CharField(max_length=40)
    supplier = fields.ForeignKeyField("models.Organization", related_name="acknowledgements")
    owner = fields.ForeignKeyField("models.User", related_name="owned_acknowledgements")
    document = fields.ForeignKeyField("models.Document", related_name="acknowledgements", null=True)
    status = fields.CharEnumField(AcknowledgementStatus, max_length=16, default=AcknowledgementStatus.PENDING)
    due_at = fields.DatetimeField()
    escalation_level = fields.IntField(default=0)
    reminders_sent = fields.IntField(default=0)
    next_action_at = fields.DatetimeField(null=True, description="when the scheduler next looks; null = nothing due")
    answered_at = fields.DatetimeField(null=True)
    answered_by = fields.ForeignKeyField("models.User", related_name="answered_acknowledgements", null=True)
    rejection_reason = fields.CharField(max_length=1000, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "acknowledgement"
        # (status, next_action_at): the scheduler's scan, open rows whose next action time has come.
        # (supplier, id, status): a supplier's page, newest first, filtered by status inside the index (on SQLite,
        # which walks this index for the order, a status filter would otherwise read every row of the supplier).
        indexes = (
            ("status", "next_action_at"), ("supplier", "status"), ("supplier", "id", "status"),
            ("subject_type", "subject_id"),
        )


class CalendarDay(Record):
    """An exception to the Monday-to-Friday week: a holiday, or a weekend working day (调休)."""

    day = fields.DateField(unique=True)
    is_working_day = fields.BooleanField()
    note = fields.CharField(max_length=100, default="")

    class Meta:
        table = "calendar_day"
