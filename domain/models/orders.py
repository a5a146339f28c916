"""Purchase orders, their lines (with the supplier's proposed changes), and goods receipts."""

from __future__ import annotations

from tortoise import fields

from domain.enums import OrderStatus
from domain.models.base import Record, amount_field, currency_field, price_field, quantity_field


class PurchaseOrder(Record):
    number = fields.CharField(max_length=32, unique=True)
    supplier = fields.ForeignKeyField("models.Organization", related_name="purchase_orders")
    contract = fields.ForeignKeyField("models.Contract", related_name="purchase_orders", null=True)
    status = fields.CharEnumField(OrderStatus, max_length=16, default=OrderStatus.ISSUED, db_index=True)
    currency = currency_field()
    total_amount = amount_field(default=0)
    plant = fields.CharField(max_length=64, default="")
    delivery_address = fields.CharField(max_length=300, default="")
    price_override_reason = fields.CharField(max_length=500, default="")
    receipt_tolerance_percent = fields.DecimalField(max_digits=5, decimal_places=2, default=5, db_default=5,
                                                    description="receipts may exceed a line's quantity by this much")
    rejection_reason = fields.CharField(max_length=1000, default="", db_default="")
    cancel_reason = fields.CharField(max_length=500, default="", db_default="")
    owner = fields.ForeignKeyField("models.User", related_name="owned_orders")
    issued_at = fields.DatetimeField(null=True)
    confirmed_at = fields.DatetimeField(null=True)
    rejected_at = fields.DatetimeField(null=True)
    change_proposed_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    closed_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "purchase_order"
        indexes = (("supplier", "status"), ("supplier", "id"))


class PurchaseOrderLine(Record):
    order = fields.ForeignKeyField("models.PurchaseOrder", related_name="lines")
    line_no = fields.IntField()
    item_code = fields.CharField(max_length=64)
    item_name = fields.CharField(max_length=200)
    quantity = quantity_field()
    unit = fields.CharField(max_length=16, default="PCS")
    unit_price = price_field()
    amount = amount_field()
    delivery_date = fields.DateField()
    received_quantity = quantity_field(default=0)
    proposed_quantity = quantity_field(null=True)
    proposed_delivery_date = fields.DateField(null=True)
    change_note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "purchase_order_line"
        unique_together = (("order", "line_no"),)


class GoodsReceipt(Record):
    number = fields.CharField(max_length=32, unique=True)
    order = fields.ForeignKeyField("models.PurchaseOrder", related_name="receipts")
    supplier = fields.ForeignKeyField("models.Organization", related_name="goods_receipts")
    received_at = fields.DatetimeField(db_index=True)
    plant = fields.CharField(max_length=64, default="")
    recorded_by = fields.ForeignKeyField("models.User", related_name="recorded_receipts")
    note = fields.CharField(max_length=500, default="")

    class Meta:
        table = "goods_receipt"
        indexes = (("supplier", "received_at"), ("supplier", "id"))


class GoodsReceiptLine(Record):
    receipt = fields.ForeignKeyField("models.GoodsReceipt", related_name="lines")
    order_line = fields.ForeignKeyField("models.PurchaseOrderLine", related_name="receipt_lines")
    received_quantity = quantity_field()
    rejected_quantity = quantity_field(default=0)

    class Meta:
        table = "goods_receipt_line"
