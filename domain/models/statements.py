"""Monthly statements (对账单): lines from receipts × agreed prices, deductions, and disputes."""

from __future__ import annotations

from tortoise import fields

from domain.enums import StatementLineKind, StatementStatus
from domain.models.base import Record, amount_field, currency_field, price_field, quantity_field


class Statement(Record):
    number = fields.CharField(max_length=32, unique=True)
    supplier = fields.ForeignKeyField("models.Organization", related_name="statements")
    period = fields.CharField(max_length=7, description="YYYY-MM")
    period_start = fields.DateField()
    period_end = fields.DateField()
    version = fields.IntField(default=1)
    previous = fields.ForeignKeyField("models.Statement", related_name="revisions", null=True)
    status = fields.CharEnumField(StatementStatus, max_length=16, default=StatementStatus.DRAFT, db_index=True)
    currency = currency_field()
    goods_amount = amount_field(default=0)
    deduction_amount = amount_field(default=0)
    total_amount = amount_field(non_negative=False, default=0)
    owner = fields.ForeignKeyField("models.User", related_name="owned_statements")
    issued_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    disputed_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "statement"
        unique_together = (("supplier", "period", "version"),)
        indexes = (("supplier", "id"),)


class StatementLine(Record):
    statement = fields.ForeignKeyField("models.Statement", related_name="lines")
    line_no = fields.IntField()
    kind = fields.CharEnumField(StatementLineKind, max_length=16)
    receipt_line = fields.ForeignKeyField("models.GoodsReceiptLine", related_name="statement_lines", null=True)
    description = fields.CharField(max_length=300)
    quantity = quantity_field(default=0)
    unit_price = price_field(default=0)
    amount = amount_field(non_negative=False)

    class Meta:
        table = "statement_line"
        unique_together = (("statement", "line_no"),)


class Dispute(Record):
    statement = fields.ForeignKeyField("models.Statement", related_name="disputes")
    statement_line = fields.ForeignKeyField("models.StatementLine", related_name="disputes", null=True)
    reason = fields.CharField(max_length=1000)
    raised_by = fields.ForeignKeyField("models.User", related_name="disputes_raised")
    resolved_at = fields.DatetimeField(null=True)
    resolution = fields.CharField(max_length=1000, default="")

    class Meta:
        table = "dispute"
