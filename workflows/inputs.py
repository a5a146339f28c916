"""Checks on the shape of what any workflow is sent: text, decimals that fit their columns, aware times, line counts.

Every refusal is a ValidationFailed naming the input field as the GraphQL client sends it (`lines[2].unitPrice`).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from domain.errors import ValidationFailed
from domain.money import AMOUNT_DIGITS, PRICE_DIGITS, QUANTITY_DIGITS

MAX_LINES = 500
MAX_TITLE_LENGTH = 200
MAX_ITEM_CODE_LENGTH = 64
MAX_ITEM_NAME_LENGTH = 200
MAX_UNIT_LENGTH = 16


def _limit(digits: dict[str, int]) -> Decimal:
    """The first value a column of `digits` cannot hold."""
    return Decimal(10) ** (digits["max_digits"] - digits["decimal_places"])


QUANTITY_LIMIT = _limit(QUANTITY_DIGITS)
PRICE_LIMIT = _limit(PRICE_DIGITS)
AMOUNT_LIMIT = _limit(AMOUNT_DIGITS)


def text(value: str, field: str, maximum: int, *, required: bool = False) -> str:
    """`value` stripped; refused when empty (if required) or longer than `maximum`, or holding control characters."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationFailed(f"{field} is required", field=field)
    if len(value) > maximum:
        raise ValidationFailed(f"{field} has at most {maximum} characters", field=field)
    if any(ord(char) < 32 and char not in "\n\t" for char in value):
        raise ValidationFailed(f"{field} holds control characters", field=field)
    return value


def decimal_value(value: Decimal, field: str, *, places: int, limit: Decimal, positive: bool) -> Decimal:
    """A finite decimal with at most `places` decimals, below `limit`, and > 0 (`positive`) or >= 0."""
    if not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationFailed(f"{field} is not a number", field=field)
    if positive and value <= 0:
        raise ValidationFailed(f"{field} must be more than 0", field=field, code="QUANTITY_NOT_POSITIVE")
    if value < 0:
        raise ValidationFailed(f"{field} cannot be negative", field=field, code="PRICE_NEGATIVE")
    if value >= limit:
        raise ValidationFailed(f"{field} must be less than {limit:,}", field=field, code="TOO_LARGE")
    step = Decimal(1).scaleb(-places)
    if value != value.quantize(step):
        raise ValidationFailed(f"{field} has at most {places} decimals", field=field, code="TOO_MANY_DECIMALS")
    return value.quantize(step)


def aware(value: datetime | None, field: str) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValidationFailed(f"{field} needs a time zone", field=field)
    return value
