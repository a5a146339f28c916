"""The access log's redaction of secret query parameters (end to end through `portal serve` in test_cli_serve.py)."""

from __future__ import annotations

import importlib
import logging

import pytest
import uvicorn.config

from api.access_log import REDACTED, RedactSecrets, log_config, redact


@pytest.mark.parametrize(
    ("path", "logged"),
    [
        ("/activate?token=abc%2Fdef", f"/activate?token={REDACTED}"),
        ("/activate?lang=zh&token=abc&x=1", f"/activate?lang=zh&token={REDACTED}&x=1"),
        ("/activate?Token=abc", f"/activate?Token={REDACTED}"),
        ("/activate?%74oken=abc", f"/activate?token={REDACTED}"),  # an encoded name is still that name
        ("/activate?token=", f"/activate?token={REDACTED}"),
        ("/x?password=p&secret=s&key=k&code=c", f"/x?password={REDACTED}&secret={REDACTED}&key={REDACTED}"
                                                f"&code={REDACTED}"),
        ("/graphql", "/graphql"),
        ("/documents/1/pdf?download=1", "/documents/1/pdf?download=1"),
    ],
)
def test_secret_query_parameters_are_redacted_and_the_rest_kept(path: str, logged: str) -> None:
    assert redact(path) == logged


def test_the_filter_rewrites_uvicorn_access_records_and_leaves_others_alone() -> None:
    access = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5000", "GET", "/activate?token=t0k3n", "1.1", 200), None)
    other = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started %s", ("server",), None)
    assert RedactSecrets().filter(access) and RedactSecrets().filter(other)
    assert access.getMessage() == f'127.0.0.1:5000 - "GET /activate?token={REDACTED} HTTP/1.1" 200'
    assert other.getMessage() == "Started server"


def test_the_logging_configuration_puts_the_filter_on_the_access_handler_only() -> None:
    config = log_config()
    assert config["handlers"]["access"]["filters"] == ["redact_secrets"]
    assert "filters" not in config["handlers"]["default"]
    module, _, name = config["filters"]["redact_secrets"]["()"].rpartition(".")
    assert getattr(importlib.import_module(module), name) is RedactSecrets
    assert log_config() == config and "filters" not in uvicorn.config.LOGGING_CONFIG["handlers"]["access"]
