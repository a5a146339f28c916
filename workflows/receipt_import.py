"""Importing goods receipts from the CSV a warehouse system exports: all of it, or nothing.

Columns (a header row first; names as below, in any order): `order_number`, `line_no`, `received_quantity`, and
optionally `rejected_quantity` (default 0), `received_at` (ISO 8601; without an offset it is the buyer's local time; a
date alone is local midnight; empty: now) and `note`. Rows of the same order, time and note make one receipt.

Every row is checked first and every problem reported with its row number (the file's line number, as a spreadsheet
shows it) and column. Only a file without a single problem is imported, in one transaction: the receipts are
recorded by `workflows.receiving.record_in`, with the same locks and tolerance checks as one recorded by hand.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import OrderStatus
from domain.errors import DomainError, ValidationFailed
from domain.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from workflows import visibility
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.receiving import (
    MAX_NOTE_LENGTH, LabelledLine, ReceiptLineInput, checked_quantities, checked_received_at, record_in,
    require_receiving_staff, tolerance_limit,
)

REQUIRED_COLUMNS = ("order_number", "line_no", "received_quantity")
OPTIONAL_COLUMNS = ("rejected_quantity", "received_at", "note")
MAX_ROWS = 5000
MAX_BYTES = 2 * 1024 * 1024
# The workflow's field names, as the CSV calls them.
COLUMN_OF_FIELD = {"receivedQuantity": "received_quantity", "rejectedQuantity": "rejected_quantity",
                   "orderLineId": "line_no", "orderId": "order_number", "receivedAt": "received_at", "note": "note"}


@dataclass(frozen=True)
class RowError:
    """One problem of the file: `row` is its line number (the header is row 1; 0: the file as a whole)."""

    row: int
    column: str | None
    code: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return f"{where}{f', {self.column}' if self.column else ''}: {self.message} [{self.code}]"


@dataclass(frozen=True)
class ImportResult:
    """The receipts recorded, or (and then nothing was recorded) every problem found."""

    receipts: tuple[GoodsReceipt, ...] = ()
    errors: tuple[RowError, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    row: int
    order: PurchaseOrder
    line: PurchaseOrderLine
    quantities: ReceiptLineInput
    received_at: datetime
    note: str


class _RowProblem(Exception):
    def __init__(self, column: str | None, message: str, code: str = "INVALID") -> None:
        super().__init__(message)
        self.column, self.message, self.code = column, message, code


def _decimal(raw: str, column: str) -> Decimal:
    try:
        return Decimal(raw.strip().replace(",", "")) if raw.strip() else Decimal(0)
    except InvalidOperation:
        raise _RowProblem(column, f"{raw!r} is not a number") from None


def _received_at(raw: str, now: datetime) -> datetime:
    raw = raw.strip()
    if not raw:
        return now
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise _RowProblem("received_at", f"{raw!r} is not an ISO 8601 date or time (2026-11-20 14:30)") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=BUYER_TIME_ZONE)
    return value


def _domain_problem(error: DomainError) -> _RowProblem:
    field = (error.field or "").rsplit(".", 1)[-1]
    return _RowProblem(COLUMN_OF_FIELD.get(field, field or None), error.message, error.code)


class _Checker:
    """Checks rows one by one, looking each order up once and keeping a running total per order line."""

    def __init__(self, actor: Actor, now: datetime) -> None:
        self.actor = actor
        self.now = now
        self.orders: dict[str, PurchaseOrder | None] = {}
        self.lines: dict[uuid.UUID, dict[int, PurchaseOrderLine]] = {}
        self.accepted: dict[uuid.UUID, Decimal] = defaultdict(Decimal)

    async def order(self, number: str) -> PurchaseOrder:
        if number not in self.orders:
            order = await visibility.purchase_orders(self.actor).filter(number=number).first()
            self.orders[number] = order
            if order is not None:
                self.lines[order.id] = {line.line_no: line for line in
                                        await PurchaseOrderLine.filter(order_id=order.id)}
        order = self.orders[number]
        if order is None:
            raise _RowProblem("order_number", f"no purchase order {number}", "NOT_FOUND")
        return order

    async def row(self, number: int, values: dict[str, str]) -> _Row:
        order_number = (values.get("order_number") or "").strip()
        if not order_number:
            raise _RowProblem("order_number", "the order number is missing")
        order = await self.order(order_number)
        if order.status != OrderStatus.CONFIRMED:
            raise _RowProblem("order_number", f"order {order.number} is {order.status.lower().replace('_', ' ')}: "
                              "goods are received against a confirmed order only", "ORDER_NOT_CONFIRMED")
        raw_line = (values.get("line_no") or "").strip()
        if not raw_line.isdigit():
            raise _RowProblem("line_no", f"{raw_line!r} is not a line number")
        line = self.lines[order.id].get(int(raw_line))
        if line is None:
            raise _RowProblem("line_no", f"order {order.number} has no line {raw_line}", "NOT_FOUND")
        try:
            quantities = checked_quantities(ReceiptLineInput(
                line.id, _decimal(values.get("received_quantity") or "", "received_quantity"),
                _decimal(values.get("rejected_quantity") or "", "rejected_quantity")), "row")
            received_at = checked_received_at(_received_at(values.get("received_at") or "", self.now), self.now)
        except DomainError as error:
            raise _domain_problem(error) from None
        if order.issued_at is not None and received_at < order.issued_at:
            raise _RowProblem("received_at", f"order {order.number} was issued after that time")
        note = (values.get("note") or "").strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise _RowProblem("note", f"a note has at most {MAX_NOTE_LENGTH} characters")
        total = line.received_quantity + self.accepted[line.id] + quantities.received_quantity \
            - quantities.rejected_quantity
        if total > tolerance_limit(line, order):
            raise _RowProblem("received_quantity", f"order {order.number} line {line.line_no}: {total.normalize():f} "
                              f"accepted in all would exceed the {line.quantity.normalize():f} ordered plus "
                              f"{order.receipt_tolerance_percent.normalize():f} % tolerance", "OVER_TOLERANCE")
        self.accepted[line.id] += quantities.received_quantity - quantities.rejected_quantity
        return _Row(number, order, line, quantities, received_at, note)


def _header_problems(columns: list[str]) -> list[RowError]:
    problems = [RowError(1, column, "MISSING_COLUMN", f"the column {column} is missing")
                for column in REQUIRED_COLUMNS if column not in columns]
    known = set(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)
    problems += [RowError(1, column, "UNKNOWN_COLUMN",
                          f"unknown column {column!r} (columns: {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)})")
                 for column in columns if column not in known]
    duplicates = {column for column in columns if columns.count(column) > 1}
    problems += [RowError(1, column, "DUPLICATE_COLUMN", f"the column {column} appears twice")
                 for column in sorted(duplicates)]
    return problems


async def check_rows(actor: Actor, content: str, now: datetime) -> tuple[list[_Row], list[RowError]]:
    """Every row checked: the rows, and the problems found (all of them, not just the first)."""
    reader = csv.reader(io.StringIO(content.lstrip("\ufeff")))
    header = next(reader, None)
    if header is None:
        return [], [RowError(0, None, "EMPTY_FILE", "the file is empty")]
    columns = [column.strip().lower() for column in header]
    if problems := _header_problems(columns):
        return [], problems
    checker = _Checker(actor, now)
    rows: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for record in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in record):
            continue  # blank lines, as spreadsheets leave at the end
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(RowError(number, None, "TOO_MANY_ROWS", f"a file has at most {MAX_ROWS} rows"))
            break
        if len(record) != len(columns):
            errors.append(RowError(number, None, "INVALID", f"{len(record)} cells where the header has "
                                                            f"{len(columns)}"))
            continue
        try:
            row = await checker.row(number, dict(zip(columns, record, strict=True)))
        except _RowProblem as problem:
            errors.append(RowError(number, problem.column, problem.code, problem.message))
            continue
        key = (row.order.id, row.received_at, row.note, row.line.id)
        if key in seen:
            errors.append(RowError(number, "line_no", "DUPLICATE_LINE",
                                   f"order {row.order.number} line {row.line.line_no} is already on row {seen[key]} "
                                   "of the same receipt (same order, time and note)"))
            continue
        seen[key] = number
        rows.append(row)
    if not rows and not errors:
        errors.append(RowError(0, None, "EMPTY_FILE", "the file has no rows"))
    return rows, errors


async def import_receipts(actor: Actor, content: str, *, clock: Clock) -> ImportResult:
    """Import the receipts of a CSV file (see the module's doc): all of them in one transaction, or none and every
    problem with its row. Refused (PermissionDenied) for a role that may not record receipts."""
    require_receiving_staff(actor)
    if len(content.encode("utf-8")) > MAX_BYTES:
        raise ValidationFailed(f"the file is larger than {MAX_BYTES // 1024 // 1024} MiB", field="file")
    now = clock.now()
    rows, errors = await check_rows(actor, content, now)
    if errors:
        return ImportResult(errors=tuple(errors))
    groups: dict[tuple, list[_Row]] = defaultdict(list)
    for row in rows:
        groups[(row.order.id, row.received_at, row.note)].append(row)
    receipts: list[GoodsReceipt] = []
    first_row = 0
    try:
        async with in_transaction() as connection:
            for (order_id, received_at, note), members in groups.items():
                first_row = members[0].row
                lines = [LabelledLine(f"row {row.row}", row.quantities) for row in members]
                receipts.append(await record_in(connection, actor, order_id, lines, received_at=received_at,
                                                note=note, now=now))
    except DomainError as error:
        # Something changed since the rows were checked (a receipt recorded meanwhile): nothing was imported.
        label, _, field = (error.field or "").rpartition(".")
        row = int(label.removeprefix("row ")) if label.startswith("row ") else first_row
        field = field or (error.field or "")
        return ImportResult(errors=(RowError(row, COLUMN_OF_FIELD.get(field, field or None), error.code,
                                             error.message),))
    return ImportResult(receipts=tuple(receipts))
