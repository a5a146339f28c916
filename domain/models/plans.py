"""Production plans: a plan, its immutable published revisions, their lines, and suppliers' commitments."""

from __future__ import annotations

from tortoise import fields

from domain.enums import PlanStatus
from domain.models.base import Record, quantity_field


class ProductionPlan(Record):
    number = fields.CharField(max_length=32, unique=True)
    title = fields.CharField(max_length=200)
    status = fields.CharEnumField(PlanStatus, max_length=16, default=PlanStatus.DRAFT, db_index=True)
    owner = fields.ForeignKeyField("models.User", related_name="owned_plans")
    horizon_start = fields.DateField()
    horizon_end = fields.DateField()
    current_revision = fields.IntField(default=0, description="number of the latest published revision; 0 = none")
    published_at = fields.DatetimeField(null=True)
    withdrawn_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "production_plan"


class PlanRevision(Record):
    """Revision 0 is the editable draft; revisions 1, 2, … are published and never change."""

    plan = fields.ForeignKeyField("models.ProductionPlan", related_name="revisions")
    revision = fields.IntField()
    note = fields.CharField(max_length=500, default="")
    published_at = fields.DatetimeField(null=True)
    published_by = fields.ForeignKeyField("models.User", related_name="published_revisions", null=True)

    class Meta:
        table = "plan_revision"
        unique_together = (("plan", "revision"),)


class PlanRecipient(Record):
    """A supplier a published revision was addressed to: what makes a plan visible to that supplier."""

    plan = fields.ForeignKeyField("models.ProductionPlan", related_name="recipients")
    revision = fields.ForeignKeyField("models.PlanRevision", related_name="recipients")
    supplier = fields.ForeignKeyField("models.Organization", related_name="plan_recipients")

    class Meta:
        table = "plan_recipient"
        unique_together = (("revision", "supplier"),)
        indexes = (("supplier", "plan"),)


class PlanLine(Record):
    revision = fields.ForeignKeyField("models.PlanRevision", related_name="lines")
    line_no = fields.IntField()
    item_code = fields.CharField(max_length=64)
    item_name = fields.CharField(max_length=200)
    plant = fields.CharField(max_length=64)
    week = fields.CharField(max_length=8, description="ISO week, e.g. 2026-W49")
    quantity = quantity_field()
    unit = fields.CharField(max_length=16, default="PCS")
    expected_supplier = fields.ForeignKeyField("models.Organization", related_name="plan_lines", null=True)

    class Meta:
        table = "plan_line"
        unique_together = (("revision", "line_no"),)


class PlanCommitment(Record):
    line = fields.ForeignKeyField("models.PlanLine", related_name="commitments")
    supplier = fields.ForeignKeyField("models.Organization", related_name="plan_commitments")
    quantity = quantity_field()
    note = fields.CharField(max_length=500, default="")
    committed_by = fields.ForeignKeyField("models.User", related_name="plan_commitments")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "plan_commitment"
        unique_together = (("line", "supplier"),)
