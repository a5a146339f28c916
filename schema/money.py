"""The Money object type: a Decimal amount (sent as a string, never a float) with its currency."""

from __future__ import annotations

from decimal import Decimal

import strawberry

from domain.money import Money as DomainMoney


@strawberry.type(description="An amount of money. `amount` is a decimal string; `formatted` is e.g. `CNY 1,234.50`.")
class Money:
    amount: Decimal
    currency: str

    @strawberry.field
    def formatted(self) -> str:
        return DomainMoney(self.amount, self.currency).format()


def money(amount: Decimal, currency: str) -> Money:
    return Money(amount=amount, currency=currency)
