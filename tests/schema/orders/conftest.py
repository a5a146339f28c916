"""Fixtures of the order and receipt mutation tests."""

from tests.support.procurement import signing_api  # noqa: F401 - a fixture
