"""A statement as CSV, for accounting: UTF-8 with a byte-order mark (so that Excel reads the Chinese text correctly),
a header row, one row per statement line, then the three totals.

Amounts are plain decimal strings (`1234.50`, no thousands separators), so a spreadsheet reads them as numbers.
Text cells that a spreadsheet would take for a formula are prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from domain.enums import StatementLineKind
from domain.models import Organization, Statement, StatementLine
from workflows.deadlines.calendar import BUYER_TIME_ZONE

BOM = "\ufeff"
HEADER = (
    "对账单号 Statement", "版本 Version", "币种 Currency", "行号 Line", "类型 Kind", "收货日期 Received on",
    "收货单 Receipt", "订单 Order", "物料编码 Item code", "物料名称 Item name", "单位 Unit", "数量 Quantity",
    "单价 Unit price", "金额 Amount", "说明 Description",
)
KIND_LABELS = {
    StatementLineKind.RECEIPT: "收货 Receipt",
    StatementLineKind.DEDUCTION: "扣款 Deduction",
}
TOTAL_LABELS = ("收货金额合计 Goods received", "扣款合计 Deductions", "应付金额 Amount due")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class StatementCsv:
    file_name: str
    content: bytes  # UTF-8, starting with the byte-order mark

    media_type: str = "text/csv; charset=utf-8"


def _text(value: str) -> str:
    """Text as a spreadsheet will show it, never run: `=HYPERLINK(...)` becomes `'=HYPERLINK(...)`."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _number(value: Decimal) -> str:
    return format(value, "f")


async def statement_csv(statement: Statement) -> StatementCsv:
    """The statement's CSV export. The caller has checked the statement is visible to whoever asked."""
    supplier = await Organization.get(id=statement.supplier_id)
    lines = await StatementLine.filter(statement_id=statement.id).order_by("line_no").prefetch_related(
        "receipt_line__receipt", "receipt_line__order_line__order")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    common = [_text(statement.number), str(statement.version), statement.currency]
    for line in lines:
        receipt_line = line.receipt_line
        received_on = receipt = order = item_code = item_name = unit = ""
        if receipt_line is not None:
            order_line = receipt_line.order_line
            received_on = receipt_line.receipt.received_at.astimezone(BUYER_TIME_ZONE).date().isoformat()
            receipt, order = receipt_line.receipt.number, order_line.order.number
            item_code, item_name, unit = order_line.item_code, order_line.item_name, order_line.unit
        writer.writerow([
            *common, str(line.line_no), KIND_LABELS[line.kind], received_on, _text(receipt), _text(order),
            _text(item_code), _text(item_name), _text(unit), _number(line.quantity), _number(line.unit_price),
            _number(line.amount), _text(line.description),
        ])
    # Deductions are negative, like their lines, so that the column adds up: goods + deductions = amount due.
    totals = (statement.goods_amount, -statement.deduction_amount, statement.total_amount)
    about = _text(f"{supplier.code} {supplier.name_zh} {statement.period}")
    for label, amount in zip(TOTAL_LABELS, totals):
        writer.writerow([*common, "", label, "", "", "", "", "", "", "", "", _number(amount), about])
    name = f"statement-{statement.number}.csv"
    return StatementCsv(name, (BOM + buffer.getvalue()).encode("utf-8"))
