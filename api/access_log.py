"""The server's access log, without the secrets a query string may carry.

An activation link (`/activate?token=…`) is a credential until it is used: uvicorn's access log would write it, in
clear, into every log file and log shipper downstream. `RedactSecrets` rewrites the logged path so that the value of
every parameter named in `SECRET_PARAMETERS` reads `[redacted]`; `log_config()` is uvicorn's own logging
configuration with that filter on the access log.
"""

from __future__ import annotations

import copy
import logging
from typing import Any
from urllib.parse import parse_qsl, quote, urlsplit

from uvicorn.config import LOGGING_CONFIG

SECRET_PARAMETERS = frozenset({"token", "password", "secret", "key", "code"})
REDACTED = "[redacted]"


def redact(path: str) -> str:
    """`path` with the value of each secret query parameter replaced by `[redacted]`; the rest unchanged."""
    parts = urlsplit(path)
    if not parts.query:
        return path
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    if not any(name.lower() in SECRET_PARAMETERS for name, _ in pairs):
        return path
    query = "&".join(
        f"{quote(name, safe='')}={REDACTED if name.lower() in SECRET_PARAMETERS else quote(value, safe='')}"
        for name, value in pairs
    )
    return f"{parts.path}?{query}"


class RedactSecrets(logging.Filter):
    """On uvicorn's access logger: its records carry (client, method, path, HTTP version, status) as arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        arguments = record.args
        if isinstance(arguments, tuple) and len(arguments) == 5 and isinstance(arguments[2], str):
            record.args = (*arguments[:2], redact(arguments[2]), *arguments[3:])
        return True


def log_config() -> dict[str, Any]:
    """uvicorn's default logging configuration, with `RedactSecrets` on the access log's handler."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config.setdefault("filters", {})["redact_secrets"] = {"()": f"{__name__}.RedactSecrets"}
    config["handlers"]["access"]["filters"] = ["redact_secrets"]
    return config
