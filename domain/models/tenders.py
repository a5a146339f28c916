"""Tenders: lines, invitations (also materialised for open tenders), sealed bids and awards."""

from __future__ import annotations

from tortoise import fields

from domain.enums import BidStatus, TenderStatus, TenderVisibility
from domain.models.base import Record, amount_field, currency_field, price_field, quantity_field


class Tender(Record):
    number = fields.CharField(max_length=32, unique=True)
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    status = fields.CharEnumField(TenderStatus, max_length=16, default=TenderStatus.DRAFT, db_index=True)
    visibility = fields.CharEnumField(TenderVisibility, max_length=16, default=TenderVisibility.INVITED)
    category = fields.CharField(max_length=64, default="")
    currency = currency_field()
    opens_at = fields.DatetimeField(null=True)
    closes_at = fields.DatetimeField(db_index=True)
    owner = fields.ForeignKeyField("models.User", related_name="owned_tenders")
    published_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    closed_by = fields.ForeignKeyField("models.User", related_name="closed_tenders", null=True,
                                       description="who opened the bids; null when the tender closed by itself")
    awarded_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    cancel_reason = fields.CharField(max_length=500, default="")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "tender"


class TenderLine(Record):
    tender = fields.ForeignKeyField("models.Tender", related_name="lines")
    line_no = fields.IntField()
    item_code = fields.CharField(max_length=64)
    item_name = fields.CharField(max_length=200)
    specification = fields.CharField(max_length=500, default="")
    quantity = quantity_field()
    unit = fields.CharField(max_length=16, default="PCS")
    required_by = fields.DateField(null=True)

    class Meta:
        table = "tender_line"
        unique_together = (("tender", "line_no"),)


class TenderInvitation(Record):
    """Who may bid. An open tender gets one row per qualified supplier of its category when published."""

    tender = fields.ForeignKeyField("models.Tender", related_name="invitations")
    supplier = fields.ForeignKeyField("models.Organization", related_name="tender_invitations")
    declined_at = fields.DatetimeField(null=True)
    decline_reason = fields.CharField(max_length=500, default="")

    class Meta:
        table = "tender_invitation"
        unique_together = (("tender", "supplier"),)
        indexes = (("supplier", "tender"),)


class Bid(Record):
    """A supplier's bid. Its prices are sealed until the tender closes: see workflows.visibility."""

    tender = fields.ForeignKeyField("models.Tender", related_name="bids")
    supplier = fields.ForeignKeyField("models.Organization", related_name="bids")
    status = fields.CharEnumField(BidStatus, max_length=16, default=BidStatus.DRAFT)
    currency = currency_field()
    total_amount = amount_field(default=0)
    note = fields.CharField(max_length=1000, default="")
    revision = fields.IntField(default=0, description="incremented at each submission")
    submitted_at = fields.DatetimeField(null=True)
    withdrawn_at = fields.DatetimeField(null=True)
    content_hash = fields.CharField(max_length=64, default="", description="sha256 of the canonical bid")
    timestamp_token = fields.BinaryField(null=True, description="RFC 3161 token over content_hash")
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "bid"
        unique_together = (("tender", "supplier"),)


class BidLine(Record):
    bid = fields.ForeignKeyField("models.Bid", related_name="lines")
    tender_line = fields.ForeignKeyField("models.TenderLine", related_name="bid_lines")
    unit_price = price_field()
    quantity = quantity_field()
    amount = amount_field()
    delivery_days = fields.IntField(default=0)
    note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "bid_line"
        unique_together = (("bid", "tender_line"),)


class Award(Record):
    """An award of a whole tender (tender_line null) or of one line, to one supplier's bid."""

    tender = fields.ForeignKeyField("models.Tender", related_name="awards")
    supplier = fields.ForeignKeyField("models.Organization", related_name="awards")
    bid = fields.ForeignKeyField("models.Bid", related_name="awards")
    tender_line = fields.ForeignKeyField("models.TenderLine", related_name="awards", null=True)
    quantity = quantity_field()
    unit_price = price_field()
    amount = amount_field()
    awarded_by = fields.ForeignKeyField("models.User", related_name="awards_made")

    class Meta:
        table = "award"
