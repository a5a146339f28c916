"""The Jinja2 environment of the document templates: autoescaped, strict about undefined names, with the filters that
print money, prices, quantities, rates, dates and amounts in Chinese capitals."""

from __future__ import annotations

import functools
from datetime import date, datetime
from decimal import Decimal

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context

from domain.chinese_amounts import amount_in_capitals
from domain.money import round_amount
from workflows.documents.contexts import PlanChangeKind
from workflows.documents.fetcher import TEMPLATES_DIR, static_url

PLAN_CHANGE_LABELS = {
    PlanChangeKind.ADDED: ("新增", "Added"),
    PlanChangeKind.REMOVED: ("取消", "Removed"),
    PlanChangeKind.CHANGED: ("数量变更", "Quantity changed"),
}


def format_money(amount: Decimal, currency: str | None = None) -> str:
    """`1,234.50`, or `CNY 1,234.50` with a currency: thousands separators, two decimals, rounded half up."""
    text = f"{round_amount(_decimal(amount)):,.2f}"
    return f"{currency} {text}" if currency else text


def format_price(price: Decimal) -> str:
    """A unit price: two to four decimals (`0.35`, `0.0825`, `1,250.00`)."""
    text = f"{_decimal(price).quantize(Decimal('0.0001')):,.4f}"
    while text.endswith("0") and len(text.rsplit(".", 1)[1]) > 2:
        text = text[:-1]
    return text


def format_quantity(quantity: Decimal | int) -> str:
    """A quantity without trailing zeros: `1,200`, `12.5`."""
    if isinstance(quantity, int) and not isinstance(quantity, bool):
        return f"{quantity:,}"
    value = _decimal(quantity)
    return "0" if value.is_zero() else f"{value.normalize():,f}"


def format_percent(rate: Decimal) -> str:
    """`Decimal("0.13")` -> `13%`."""
    return f"{format_quantity(_decimal(rate) * 100)}%"


@pass_context
def format_date(context: Context, value: date | datetime) -> str:
    """A date as `2026-03-15`; an aware datetime in the letterhead's time zone: `2026-03-15 18:00 (UTC+08:00)`."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"refusing to print the naive datetime {value.isoformat()}: its time zone is unknown")
        local = value.astimezone(context["time_zone"])
        offset = local.strftime("%z")
        return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not a date: {value!r}")


def _decimal(value: object) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"expected a Decimal, got {type(value).__name__} {value!r} (money is never a float)")
    return value


@functools.cache
def template_environment() -> Environment:
    """The Jinja2 environment for documents: every template autoescaped, undefined names are errors."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        auto_reload=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        money=format_money,
        price=format_price,
        qty=format_quantity,
        percent=format_percent,
        date=format_date,
        capitals=amount_in_capitals,
    )
    environment.globals.update(static=static_url, change_labels=PLAN_CHANGE_LABELS)
    return environment
