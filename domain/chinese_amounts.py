"""Amounts in Chinese capital numerals (人民币大写), as written on contracts, statements and invoices.

The rules are those of the People's Bank of China for financial documents (《支付结算办法》): 元 after the integer part,
整 when the amount stops at 元, one 零 for each run of skipped digits (including a skipped 元 or 角 digit before a
non-zero 角 or 分), and 壹拾 rather than 拾 for a leading ten.
"""

from __future__ import annotations

from decimal import Decimal

DIGITS = "零壹贰叁肆伍陆柒捌玖"
# Units inside each group of four digits, from the lowest: 个, 拾, 佰, 仟.
DIGIT_UNITS = ("", "拾", "佰", "仟")
# The largest amount written: 9,999 万亿 (just under 10^16) yuan, 99 fen.
LIMIT = Decimal(10) ** 16


def amount_in_capitals(amount: Decimal | int) -> str:
    """Write `amount` (yuan, to the fen) in capitals: `Decimal("12345.67")` -> "壹万贰仟叁佰肆拾伍元陆角柒分".

    Negative amounts start with 负. Raises `TypeError` for floats (money is never a float) and `ValueError` for
    non-finite values, values with fractions of a fen, and values of 10^16 yuan or more.
    """
    if isinstance(amount, bool) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be a Decimal or an int, not {type(amount).__name__}: {amount!r}")
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"cannot write {value} in capitals: not a finite amount")
    if abs(value) >= LIMIT:
        raise ValueError(f"cannot write {value} in capitals: 10^16 yuan or more")
    fen_total = value * 100
    if fen_total != fen_total.to_integral_value():
        raise ValueError(f"cannot write {value} in capitals: it has fractions of a fen (round it to the cent first)")

    fen_total = int(fen_total)
    sign = "负" if fen_total < 0 else ""
    yuan, cents = divmod(abs(fen_total), 100)
    jiao, fen = divmod(cents, 10)

    if yuan == 0 and cents == 0:
        return "零元整"
    words, ends_with_skipped_digit = _integer_in_capitals(yuan)
    if yuan:
        words += "元"
    if jiao:
        if yuan and ends_with_skipped_digit:
            words += "零"
        words += DIGITS[jiao] + "角"
    if fen:
        if yuan and not jiao:
            words += "零"
        words += DIGITS[fen] + "分"
    else:
        # 整 is required after 元 and customary (though optional) after 角; we write it only after 元.
        words += "" if jiao else "整"
    return sign + words


def _integer_in_capitals(number: int) -> tuple[str, bool]:
    """The integer part in capitals (empty for 0), and whether its lowest digit is a skipped zero.

    Digits come in groups of four: the lowest has no unit, then 万, then 亿, then 万 again (万亿). 亿 is written when
    either of the two highest groups is non-zero, so 10^12 reads 壹万亿.
    """
    digits = str(number) if number else ""
    words: list[str] = []
    zero_pending = False
    group_has_digit = False
    high_part_has_digit = False  # the 亿 and 万亿 groups together
    for index, character in enumerate(digits):
        power = len(digits) - 1 - index
        group, place = divmod(power, 4)
        digit = int(character)
        if digit == 0:
            zero_pending = True
        else:
            if zero_pending:
                words.append("零")
                zero_pending = False
            words.append(DIGITS[digit] + DIGIT_UNITS[place])
            group_has_digit = True
            if group >= 2:
                high_part_has_digit = True
        if place == 0:
            if group in (1, 3) and group_has_digit:
                words.append("万")
            elif group == 2 and high_part_has_digit:
                words.append("亿")
            group_has_digit = False
    return "".join(words), zero_pending
