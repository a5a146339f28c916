"""Contracts and their lines; an amendment is a new contract that references the one it amends."""

from __future__ import annotations

from tortoise import fields

from domain.enums import ContractStatus
from domain.models.base import Record, amount_field, currency_field, price_field, quantity_field


class Contract(Record):
    number = fields.CharField(max_length=32, unique=True)
    title = fields.CharField(max_length=200)
    supplier = fields.ForeignKeyField("models.Organization", related_name="contracts")
    status = fields.CharEnumField(ContractStatus, max_length=16, default=ContractStatus.DRAFT, db_index=True)
    currency = currency_field()
    total_amount = amount_field(default=0)
    valid_from = fields.DateField()
    valid_to = fields.DateField()
    tender = fields.ForeignKeyField("models.Tender", related_name="contracts", null=True)
    amends = fields.ForeignKeyField("models.Contract", related_name="amendments", null=True)
    owner = fields.ForeignKeyField("models.User", related_name="owned_contracts")
    issued_at = fields.DatetimeField(null=True)
    signed_at = fields.DatetimeField(null=True)
    rejected_at = fields.DatetimeField(null=True)
    expired_at = fields.DatetimeField(null=True)
    rejection_reason = fields.CharField(max_length=1000, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "contract"
        indexes = (("supplier", "status"), ("supplier", "id"))


class ContractLine(Record):
    contract = fields.ForeignKeyField("models.Contract", related_name="lines")
    line_no = fields.IntField()
    item_code = fields.CharField(max_length=64)
    item_name = fields.CharField(max_length=200)
    quantity = quantity_field()
    unit = fields.CharField(max_length=16, default="PCS")
    unit_price = price_field()
    amount = amount_field()

    class Meta:
        table = "contract_line"
        unique_together = (("contract", "line_no"),)
