"""Production plan lines as input: what a line is, and what makes one valid (for typed input and for CSV rows alike)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from domain.money import QUANTITY_DIGITS

MAX_LINES = 500
WEEK_FORMAT = re.compile(r"([0-9]{4})-W([0-9]{2})")
MAX_QUANTITY = Decimal(10) ** (QUANTITY_DIGITS["max_digits"] - QUANTITY_DIGITS["decimal_places"])
QUANTITY_PLACES = QUANTITY_DIGITS["decimal_places"]
# field -> (what it is, most characters); each is required
TEXT_LIMITS: dict[str, tuple[str, int]] = {
    "itemCode": ("an item code", 64),
    "itemName": ("an item name", 200),
    "plant": ("a plant", 64),
    "unit": ("a unit", 16),
}
DEFAULT_UNIT = "PCS"


@dataclass(frozen=True)
class PlanLineInput:
    """One item, plant and ISO week of demand, and the supplier expected to make it (None: to be assigned)."""

    item_code: str
    item_name: str
    plant: str
    week: str  # ISO week, "2026-W49"
    quantity: Decimal
    unit: str = DEFAULT_UNIT
    expected_supplier_id: uuid.UUID | None = None


@dataclass(frozen=True)
class LineProblem:
    """What is wrong with one field of a line; `field` is the camelCase input name."""

    field: str
    message: str
    code: str = "INVALID"


def week_monday(week: str) -> date | None:
    """The Monday of ISO week `2026-W49`, or None if that is not a week (week 53 exists only in some years)."""
    match = WEEK_FORMAT.fullmatch(week)
    if match is None:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year:04d}-W{week:02d}"


def week_span(weeks: list[str]) -> tuple[date, date]:
    """From the Monday of the earliest week to the Sunday of the latest (the weeks are valid)."""
    mondays = [week_monday(week) for week in weeks]
    return min(mondays), max(mondays) + timedelta(days=6)  # type: ignore[type-var, operator]


def quantity_problem(quantity: Decimal, *, allow_zero: bool, field: str = "quantity") -> LineProblem | None:
    """Why `quantity` cannot be stored as a plan quantity (or a commitment, with `allow_zero`), or None."""
    if not isinstance(quantity, Decimal) or not quantity.is_finite():
        return LineProblem(field, "a quantity is a number")
    if quantity < 0 or (quantity == 0 and not allow_zero):
        return LineProblem(field, "a quantity must be zero or more" if allow_zero else
                           "a quantity must be more than zero", "QUANTITY_NEGATIVE" if allow_zero
                           else "QUANTITY_NOT_POSITIVE")
    if quantity >= MAX_QUANTITY:
        return LineProblem(field, f"a quantity is less than {MAX_QUANTITY:,}")
    if quantity != quantity.quantize(Decimal(1).scaleb(-QUANTITY_PLACES)):
        return LineProblem(field, f"a quantity has at most {QUANTITY_PLACES} decimals")
    return None


def line_problems(line: PlanLineInput) -> list[LineProblem]:
    """Everything wrong with `line` on its own (whether its supplier exists is checked against the database)."""
    problems = []
    for name, attribute in (("itemCode", "item_code"), ("itemName", "item_name"), ("plant", "plant"),
                            ("unit", "unit")):
        what, most = TEXT_LIMITS[name]
        value = getattr(line, attribute)
        if not 1 <= len(value) <= most:
            problems.append(LineProblem(name, f"{what} has 1 to {most} characters"))
        elif not value.isprintable():
            problems.append(LineProblem(name, f"{what} has no control characters"))
    if week_monday(line.week) is None:
        problems.append(LineProblem("week", f"{line.week!r} is not an ISO week written YYYY-Www, e.g. 2026-W49",
                                    "INVALID_WEEK"))
    if (problem := quantity_problem(line.quantity, allow_zero=False)) is not None:
        problems.append(problem)
    return problems


def normalised(line: PlanLineInput) -> PlanLineInput:
    """The line with its text trimmed (and the default unit when none is given)."""
    return PlanLineInput(item_code=line.item_code.strip(), item_name=line.item_name.strip(), plant=line.plant.strip(),
                         week=line.week.strip().upper(), quantity=line.quantity,
                         unit=line.unit.strip() or DEFAULT_UNIT, expected_supplier_id=line.expected_supplier_id)
