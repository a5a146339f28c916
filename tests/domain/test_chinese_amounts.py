"""Amounts in Chinese capitals (人民币大写): the 零 and 整 rules, the 万 / 亿 / 万亿 groups, and every refusal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from domain.chinese_amounts import amount_in_capitals

CASES = [
    # plain amounts
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("100", "壹佰元整"),
    ("1", "壹元整"),
    ("10", "壹拾元整"),  # financial style keeps 壹拾
    ("15", "壹拾伍元整"),
    ("0", "零元整"),
    ("0.00", "零元整"),
    ("-0.00", "零元整"),
    # cents only: no 元 and no leading 零
    ("0.05", "伍分"),
    ("0.50", "伍角"),
    ("0.55", "伍角伍分"),
    # 整 after 元 only; stopping at 角 needs none
    ("1005.20", "壹仟零伍元贰角"),
    ("12.30", "壹拾贰元叁角"),
    # one 零 for each run of skipped digits
    ("1005", "壹仟零伍元整"),
    ("1000.05", "壹仟元零伍分"),
    ("10.05", "壹拾元零伍分"),
    ("10010.01", "壹万零壹拾元零壹分"),
    ("100000.00", "壹拾万元整"),
    ("1000000.10", "壹佰万元零壹角"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("107000.53", "壹拾万零柒仟元零伍角叁分"),
    ("100010000", "壹亿零壹万元整"),
    ("100000001", "壹亿零壹元整"),
    ("10000100", "壹仟万零壹佰元整"),
    # the 万 and 亿 groups
    ("20000000", "贰仟万元整"),
    ("110000000", "壹亿壹仟万元整"),
    ("300000000", "叁亿元整"),
    ("1000000000000", "壹万亿元整"),
    ("1000100000000", "壹万零壹亿元整"),
    ("1000000010000", "壹万亿零壹万元整"),
    ("9999999999999999.99", "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    # negative amounts
    ("-12.50", "负壹拾贰元伍角"),
    ("-0.01", "负壹分"),
    # trailing zeros in the Decimal are not fractions of a fen
    ("12.3000", "壹拾贰元叁角"),
]


@pytest.mark.parametrize(("amount", "expected"), CASES)
def test_amount_in_capitals(amount: str, expected: str) -> None:
    assert amount_in_capitals(Decimal(amount)) == expected


def test_int_amounts_are_yuan() -> None:
    assert amount_in_capitals(20000) == "贰万元整"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (Decimal("NaN"), "NaN"),
        (Decimal("Infinity"), "Infinity"),
        (Decimal("-Infinity"), "-Infinity"),
        (Decimal("10000000000000000"), "10000000000000000"),
        (Decimal("-10000000000000000.00"), "-10000000000000000.00"),
        (Decimal("1E+20"), "1E+20"),
        (Decimal("0.001"), "0.001"),
        (Decimal("12.345"), "12.345"),
    ],
)
def test_refuses_values_it_cannot_write(amount: Decimal, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("+", r"\+")):
        amount_in_capitals(amount)


@pytest.mark.parametrize("amount", [12.5, "12.50", None, True])
def test_refuses_floats_and_other_types(amount: object) -> None:
    with pytest.raises(TypeError):
        amount_in_capitals(amount)  # type: ignore[arg-type]
