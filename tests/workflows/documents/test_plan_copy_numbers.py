"""A supplier's copy of a plan revision has a document number that always fits, and never collides."""

from __future__ import annotations

from workflows.documents.subjects import DOCUMENT_NUMBER_LENGTH, plan_copy_number


def test_a_short_supplier_code_is_kept_whole() -> None:
    assert plan_copy_number("JH-2026-0001", 2, "SUP-A") == "JH-2026-0001-R2-SUP-A"


def test_long_supplier_codes_are_shortened_to_fit_and_stay_distinct() -> None:
    first = plan_copy_number("JH-2026-0001", 12, "A" * 32)
    second = plan_copy_number("JH-2026-0001", 12, "A" * 31 + "B")
    assert len(first) <= DOCUMENT_NUMBER_LENGTH and len(second) <= DOCUMENT_NUMBER_LENGTH
    assert first != second and first.startswith("JH-2026-0001-R12-AAAA")
