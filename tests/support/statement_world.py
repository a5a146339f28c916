"""Builders for the statement tests: goods receipts of a supplier at chosen times and prices, seeded as records (the
ordering and receiving workflows are not under test here), in months of their own far from the demo's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from domain.enums import OrderStatus
from domain.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine, User
from domain.money import round_amount
from workflows.numbering import reserve_numbers

from tests.support.procurement import PROCUREMENT, supplier


@dataclass(frozen=True)
class Delivery:
    """One order line and its receipt: `received` of it at `at`, `rejected` of those, at `price` each."""

    at: datetime
    price: str
    received: str
    rejected: str = "0"
    item_code: str = "FB-M8-30"
    item_name: str = "六角螺栓 M8×30 / Hex bolt M8x30"


async def deliveries(supplier_code: str, *items: Delivery, currency: str = "CNY") -> PurchaseOrder:
    """A confirmed order of `supplier_code` with one line per delivery, each received in its own goods receipt."""
    owner = await User.get(email=PROCUREMENT)
    organization = await supplier(supplier_code)
    year = items[0].at.year
    [number] = await reserve_numbers(None, "order", year)
    order = await PurchaseOrder.create(number=number, supplier=organization, status=OrderStatus.CONFIRMED,
                                       currency=currency, owner=owner, issued_at=items[0].at, plant="苏州一厂 SZ1")
    for line_no, item in enumerate(items, start=1):
        quantity, price = Decimal(item.received), Decimal(item.price)
        line = await PurchaseOrderLine.create(
            order=order, line_no=line_no, item_code=item.item_code, item_name=item.item_name, quantity=quantity,
            unit_price=price, amount=round_amount(quantity * price), delivery_date=item.at.date(),
            received_quantity=quantity)
        [receipt_number] = await reserve_numbers(None, "receipt", year)
        receipt = await GoodsReceipt.create(number=receipt_number, order=order, supplier=organization,
                                            received_at=item.at, plant=order.plant, recorded_by=owner)
        await GoodsReceiptLine.create(receipt=receipt, order_line=line, received_quantity=quantity,
                                      rejected_quantity=Decimal(item.rejected))
    return order
