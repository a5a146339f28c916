"""The unified social credit code check of GB 32100-2015, on published codes of real companies."""

from __future__ import annotations

import pytest

from domain.credit_codes import CreditCodeError, check_character, normalise_credit_code


@pytest.mark.parametrize("code", [
    "91350100M000100Y43",  # the standard's own example
    "9144030071526726XG",
    "914403001922038216",
    "91330100799655058B",
    "91110000802100433B",
    "91310000MA1FL1MMXL",
])
def test_published_codes_pass(code: str) -> None:
    assert normalise_credit_code(code) == code
    assert check_character(code[:17]) == code[17]


def test_spaces_and_lower_case_are_normalised() -> None:
    assert normalise_credit_code(" 9135 0100 m000 100y43 ") == "91350100M000100Y43"


@pytest.mark.parametrize("code, problem", [
    ("", "18 characters"),
    ("91350100M000100Y4", "18 characters"),
    ("91350100M000100Y433", "18 characters"),
    ("91350100M000100Y42", "check character"),
    ("91350100M000100Y4O", "not O"),  # O is not in the alphabet (it looks like 0)
    ("9I350100M000100Y43", "not I"),
    ("91350A00M000100Y43", "division code"),
    ("91350100M000010Y43", "check character"),  # two characters swapped
])
def test_malformed_codes_say_what_is_wrong(code: str, problem: str) -> None:
    with pytest.raises(CreditCodeError, match=problem):
        normalise_credit_code(code)
