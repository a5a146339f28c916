"""The unified social credit code (统一社会信用代码) of GB 32100-2015: 18 characters and a check character.

Layout: the registering authority (1), the kind of organisation (1), the administrative division (6 digits), the
organisation code of GB 11714 (9), and a check character computed over the first 17 with weights 3^(i-1) mod 31 in the
31-character alphabet below (the digits and the capitals without I, O, S, V and Z, which look like digits).
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
LENGTH = 18
_VALUE = {character: value for value, character in enumerate(ALPHABET)}
_WEIGHTS = tuple(pow(3, position, 31) for position in range(LENGTH - 1))


class CreditCodeError(ValueError):
    """Why a string is not a unified social credit code (the message says what is wrong, for people)."""


def check_character(first_17: str) -> str:
    """The check character (18th) of the first 17 characters, which must already be in the alphabet."""
    total = sum(_VALUE[character] * weight for character, weight in zip(first_17, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise_credit_code(raw: str) -> str:
    """`raw` as a valid code (spaces removed, upper case), or CreditCodeError saying what is wrong with it."""
    code = "".join(raw.split()).upper()
    if len(code) != LENGTH:
        raise CreditCodeError(f"a unified social credit code has {LENGTH} characters, this one has {len(code)}")
    if unknown := sorted({character for character in code if character not in _VALUE}):
        raise CreditCodeError(f"a unified social credit code uses digits and capitals without I, O, S, V and Z, "
                              f"not {' '.join(unknown)}")
    if not code[2:8].isdigit():
        raise CreditCodeError("characters 3 to 8 of a unified social credit code are the division code, 6 digits")
    if check_character(code[:17]) != code[17]:
        raise CreditCodeError("the check character (the last) does not match: the code is mistyped")
    return code
