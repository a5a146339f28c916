"""Fixtures of the contract mutation tests."""

from tests.support.procurement import signing_api  # noqa: F401 - a fixture
