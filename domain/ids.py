"""Record identifiers: time-ordered UUIDs (version 7), so that keyset pagination by id follows creation order."""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_millis = 0
_counter = 0


def new_id() -> uuid.UUID:
    """A UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, a 12-bit counter, 62 random bits.

    Within one process the ids are strictly increasing (the counter orders ids made in the same millisecond),
    so "newest first" by id is creation order.
    """
    global _last_millis, _counter
    with _lock:
        millis = time.time_ns() // 1_000_000
        if millis <= _last_millis:
            _counter += 1
            if _counter > 0xFFF:  # counter exhausted: borrow the next millisecond
                _last_millis += 1
                _counter = 0
            millis = _last_millis
        else:
            _last_millis = millis
            _counter = 0
        counter = _counter
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= counter << 64
    value |= 0b10 << 62
    value |= int.from_bytes(os.urandom(8), "big") & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def parse_id(text: object) -> uuid.UUID | None:
    """The UUID in `text`, or None when it is not a well-formed UUID."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
