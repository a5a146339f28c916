"""What one attempt at delivering an outbox message came to, as the senders report it to `delivery`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """`ok`: the receiver accepted the message. Otherwise `error` says why not, and `permanent` that sending the same
    message again cannot succeed (a refused mailbox, a disabled endpoint): it is given up at once."""

    ok: bool
    error: str = ""
    permanent: bool = False
