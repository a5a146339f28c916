"""Fixtures for the delivery tests: `outbox_era`, the far past they run in (see tests/support/outbox.py)."""

from tests.support.outbox import outbox_era  # noqa: F401 - a fixture
