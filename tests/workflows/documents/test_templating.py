"""The template filters: money, prices, quantities and rates as documents print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflows.documents import templating


def test_money_and_quantity_filters() -> None:
    assert templating.format_money(Decimal("1234.5")) == "1,234.50"
    assert templating.format_money(Decimal("1234.5"), "CNY") == "CNY 1,234.50"
    assert templating.format_money(Decimal("-0.005"), "CNY") == "CNY -0.01"
    assert templating.format_price(Decimal("0.3500")) == "0.35"
    assert templating.format_price(Decimal("0.0825")) == "0.0825"
    assert templating.format_quantity(Decimal("1200.000")) == "1,200"
    assert templating.format_quantity(Decimal("12.50")) == "12.5"
    assert templating.format_quantity(Decimal("0.000")) == "0"
    assert templating.format_percent(Decimal("0.13")) == "13%"
    with pytest.raises(TypeError):
        templating.format_money(1234.5)  # type: ignore[arg-type]
