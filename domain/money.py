"""Money: `Decimal` amounts with an ISO 4217 currency. Never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_CURRENCY = "CNY"
CURRENCIES = frozenset({"CNY", "USD", "EUR", "JPY", "HKD", "GBP"})
CENT = Decimal("0.01")

# Column shapes shared by every model that stores money or quantities.
AMOUNT_DIGITS = dict(max_digits=18, decimal_places=2)
PRICE_DIGITS = dict(max_digits=18, decimal_places=4)
QUANTITY_DIGITS = dict(max_digits=18, decimal_places=3)


def round_amount(value: Decimal) -> Decimal:
    """Round to the cent, half up, as Chinese invoices (发票) and statements do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str = DEFAULT_CURRENCY

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise TypeError("Money.amount must be a Decimal")
        if self.currency not in CURRENCIES:
            raise ValueError(f"unknown currency {self.currency!r}")

    def __add__(self, other: Money) -> Money:
        if other.currency != self.currency:
            raise ValueError(f"cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def format(self) -> str:
        """`CNY 1,234.50`."""
        return f"{self.currency} {round_amount(self.amount):,.2f}"
