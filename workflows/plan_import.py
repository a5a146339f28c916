"""Production plan lines from the CSV an ERP exports: all of them, or none and every row's errors.

The file has a header row naming its columns, in English or Chinese, in any order; columns the portal does not use
are ignored (ERP exports carry many). Required: item code, item name, plant, quantity, and the week (`2026-W49`) or a
date (`2026-12-02`, whose ISO week is taken). Optional: unit (default PCS) and the expected supplier's code (`SUP-A`).
Commas, semicolons or tabs separate the cells; a byte-order mark is ignored.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first data row is row 2. An error names its
row and column (`csv[3].quantity`); if there is any, nothing is imported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from domain.actors import Actor
from domain.errors import ValidationFailed
from workflows import visibility
from workflows.plan_lines import MAX_LINES, PlanLineInput, line_problems, normalised, week_of

MAX_CSV_CHARACTERS = 2_000_000
MAX_PROBLEMS = 100
FIELD = "csv"

# The portal's column -> the headers that name it (compared without case, spaces, `_`, `-` or `/`).
ALIASES: dict[str, tuple[str, ...]] = {
    "itemCode": ("itemcode", "item", "material", "materialnumber", "partnumber", "物料编码", "物料号", "料号",
                 "物料代码"),
    "itemName": ("itemname", "description", "materialdescription", "name", "物料名称", "物料描述", "品名"),
    "plant": ("plant", "工厂", "厂区"),
    "week": ("week", "isoweek", "周次", "周"),
    "date": ("date", "deliverydate", "requirementdate", "需求日期", "交货日期", "日期"),
    "quantity": ("quantity", "qty", "demand", "数量", "需求数量"),
    "unit": ("unit", "uom", "单位"),
    "supplier": ("supplier", "suppliercode", "vendor", "vendorcode", "供应商", "供应商代码", "供应商编码"),
}
REQUIRED = ("itemCode", "itemName", "plant", "quantity")
COLUMN_NAMES = {"itemCode": "item code (物料编码)", "itemName": "item name (物料名称)", "plant": "plant (工厂)",
                "quantity": "quantity (数量)", "week": "week (周次) or date (需求日期)"}
WEEK_CELL = re.compile(r"([0-9]{4})-?W([0-9]{1,2})", re.IGNORECASE)
DATE_CELL = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})")


class PlanCsvInvalid(ValidationFailed):
    """The CSV could not be imported; `problems` has one error per row and column (each naming `csv[row].column`)."""

    code = "CSV_INVALID"

    def __init__(self, problems: list[ValidationFailed]) -> None:
        more = " or more" if len(problems) >= MAX_PROBLEMS else ""
        super().__init__(f"the CSV has {len(problems)}{more} error(s): nothing was imported", field=FIELD)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class CsvRow:
    row: int  # as a spreadsheet numbers it
    line: PlanLineInput  # without its supplier: codes are resolved against the database
    supplier_code: str


def _key(header: str) -> str:
    return re.sub(r"[\s_\-/]", "", header.strip().lower())


def _column_of(header: str) -> str | None:
    key = _key(header)
    for column, aliases in ALIASES.items():
        if key in aliases:
            return column
    # A bilingual header such as "物料编码 Item code": the Chinese name first.
    for column, aliases in ALIASES.items():
        if any(not alias.isascii() and len(alias) > 1 and key.startswith(alias) for alias in aliases):
            return column
    return None


def _delimiter(first_line: str) -> str:
    counts = {delimiter: first_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


class _Problems:
    def __init__(self) -> None:
        self.items: list[ValidationFailed] = []

    def add(self, row: int, column: str, header: str, message: str, code: str = "INVALID") -> None:
        if len(self.items) < MAX_PROBLEMS:
            place = f"row {row}" + (f", column {header}" if header else "")
            self.items.append(ValidationFailed(f"{place}: {message}", field=f"{FIELD}[{row}].{column}", code=code))

    @property
    def full(self) -> bool:
        return len(self.items) >= MAX_PROBLEMS


def _week(cell: str) -> str | None:
    match = WEEK_CELL.fullmatch(cell)
    return f"{match.group(1)}-W{int(match.group(2)):02d}" if match else None


def _date_week(cell: str) -> str | None:
    match = DATE_CELL.fullmatch(cell)
    if match is None:
        return None
    try:
        return week_of(date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    except ValueError:
        return None


def _quantity(cell: str) -> Decimal | None:
    try:
        value = Decimal(cell)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_plan_csv(text: str) -> tuple[list[CsvRow], list[ValidationFailed]]:
    """The rows of the CSV as plan lines, and every problem found (row and column). Pure: no database."""
    problems = _Problems()
    if len(text) > MAX_CSV_CHARACTERS:
        problems.add(1, "file", "", f"the file has more than {MAX_CSV_CHARACTERS:,} characters", "TOO_LARGE")
        return [], problems.items
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        problems.add(1, "file", "", "the file holds NUL characters: is it really a CSV text file?")
        return [], problems.items
    first_line = text.split("\n", 1)[0]
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(records)
    except (StopIteration, csv.Error):
        problems.add(1, "file", "", "the file is empty: it needs a header row and one row per plan line", "EMPTY")
        return [], problems.items
    columns: dict[str, int] = {}
    for index, name in enumerate(header):
        column = _column_of(name)
        if column is None:
            continue
        if column in columns:
            problems.add(1, column, name, f"two columns name the {column} ({header[columns[column]]!r} and {name!r})")
        columns[column] = index
    for column in REQUIRED:
        if column not in columns:
            problems.add(1, column, "", f"no {COLUMN_NAMES[column]} column in the header "
                         f"({', '.join(header)})", "MISSING_COLUMN")
    if "week" not in columns and "date" not in columns:
        problems.add(1, "week", "", f"no {COLUMN_NAMES['week']} column in the header", "MISSING_COLUMN")
    if problems.items:
        return [], problems.items

    def cell(record: list[str], column: str) -> str:
        index = columns.get(column)
        return record[index].strip() if index is not None and index < len(record) else ""

    rows: list[CsvRow] = []
    row_number = 1
    try:
        for record in records:
            row_number += 1
            if not any(value.strip() for value in record):
                continue  # a blank row, as spreadsheets leave at the end
            if len(rows) >= MAX_LINES:
                problems.add(row_number, "file", "", f"a plan has at most {MAX_LINES} lines", "TOO_MANY_LINES")
                break
            _parse_row(record, row_number, columns, header, cell, rows, problems)
            if problems.full:
                break
    except csv.Error as error:
        problems.add(row_number, "file", "", f"the CSV is malformed ({error})")
    if not rows and not problems.items:
        problems.add(2, "file", "", "the file has a header but no plan lines", "EMPTY")
    return rows, problems.items


def _parse_row(record: list[str], row: int, columns: dict[str, int], header: list[str], cell, rows: list[CsvRow],
               problems: _Problems) -> None:  # noqa: ANN001
    def name(column: str) -> str:
        return header[columns[column]] if column in columns else column

    found = len(problems.items)
    week = ""
    if "week" in columns and cell(record, "week"):
        week = _week(cell(record, "week")) or ""
        if not week:
            problems.add(row, "week", name("week"), f"{cell(record, 'week')!r} is not a week such as 2026-W49",
                         "INVALID_WEEK")
    elif "date" in columns and cell(record, "date"):
        week = _date_week(cell(record, "date")) or ""
        if not week:
            problems.add(row, "date", name("date"), f"{cell(record, 'date')!r} is not a date such as 2026-12-02",
                         "INVALID_DATE")
    else:
        column = "week" if "week" in columns else "date"
        problems.add(row, column, name(column), "the week is missing", "INVALID_WEEK")
    quantity = _quantity(cell(record, "quantity"))
    if quantity is None:
        problems.add(row, "quantity", name("quantity"), f"{cell(record, 'quantity')!r} is not a number "
                     "(write 1200 or 1200.5, without thousands separators)")
    line = normalised(PlanLineInput(
        item_code=cell(record, "itemCode"), item_name=cell(record, "itemName"), plant=cell(record, "plant"),
        week=week or "2000-W01", quantity=quantity if quantity is not None else Decimal(1),
        unit=cell(record, "unit")))
    for problem in line_problems(line):
        problems.add(row, problem.field, name(problem.field), problem.message, problem.code)
    if len(problems.items) == found:
        rows.append(CsvRow(row, line, cell(record, "supplier")))


async def import_plan_csv(text: str, actor: Actor) -> tuple[PlanLineInput, ...]:
    """The plan lines of the CSV, each with its expected supplier resolved from its code; raises PlanCsvInvalid with
    every problem (unknown supplier codes included) when there is any."""
    rows, problems = parse_plan_csv(text)
    codes = sorted({row.supplier_code for row in rows if row.supplier_code})
    suppliers = {organization.code: organization.id for organization in
                 await visibility.suppliers(actor).filter(code__in=codes)} if codes else {}
    lines = []
    for row in rows:
        supplier_id = None
        if row.supplier_code:
            supplier_id = suppliers.get(row.supplier_code)
            if supplier_id is None and len(problems) < MAX_PROBLEMS:
                problems.append(ValidationFailed(f"row {row.row}, column supplier: no supplier has the code "
                                                 f"{row.supplier_code!r}", field=f"{FIELD}[{row.row}].supplier",
                                                 code="UNKNOWN_SUPPLIER"))
        lines.append(PlanLineInput(row.line.item_code, row.line.item_name, row.line.plant, row.line.week,
                                   row.line.quantity, row.line.unit, supplier_id))
    if problems:
        raise PlanCsvInvalid(problems)
    return tuple(lines)
