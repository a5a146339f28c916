"""Delivering the outbox: e-mails and webhook calls, at least once, never by two processes at the same time.

`deliver_due` runs from the server's scheduler and from `portal tick`, in any number of processes at once:

1. **Claim**, in one short transaction: the due rows (PENDING or FAILED, `next_attempt_at` passed), oldest first, are
   locked (`FOR UPDATE SKIP LOCKED` on PostgreSQL: rows another process is claiming are skipped, not waited for; on
   SQLite, which has no row locks, the claim first takes the database's write lock), then leased: `attempts` + 1 and
   `next_attempt_at` = now + `LEASE`. The transaction commits before anything is sent.
2. **Send**, outside any transaction, a few at a time. A send that could not finish within its lease is not started.
3. **Record**: SENT (with `sent_at`); or FAILED, to be retried after an exponential backoff (`backoff`); or DEAD once
   `MAX_ATTEMPTS` attempts failed, or at once when retrying cannot help (a refused mailbox, a disabled endpoint).

A process killed while sending leaves its rows leased: once the lease has passed they are due again and sent again,
with the same idempotency key (the e-mail's Message-ID, the webhook's `Idempotency-Key`), so receivers drop the repeat.

Without an SMTP server (`PORTAL_SMTP_URL` unset) an e-mail row counts a failed attempt ("no SMTP server configured")
and is retried with backoff like any failure, so a process that does have one (another server, `portal tick` with the
full environment) can still send it; after `MAX_ATTEMPTS` it is DEAD with that reason. The inbox keeps every
notification regardless.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.clock import Clock
from domain.enums import OutboxChannel, OutboxStatus
from domain.models import OutboxMessage
from workflows.documents.pki import MasterKey
from workflows.notifications.email import SmtpSender, SmtpServer, parse_mail_from
from workflows.notifications.outcome import Outcome
from workflows.notifications.webhooks import WebhookSender

log = logging.getLogger("portal.notifications")

LEASE = timedelta(minutes=10)
SEND_BUDGET = timedelta(minutes=1)  # the longest one send may take (its transports' total timeouts are below this)
CONCURRENCY = 10  # sends in flight per call: 100 rows * 1 minute / 10 fit in the lease
MAX_ATTEMPTS = 8
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_CAP = timedelta(hours=1)
BACKOFF_JITTER = 0.1  # up to 10% more, different per message: retries after an outage do not all land at once
MAX_ERROR = 1000
NO_SMTP = "no SMTP server configured (PORTAL_SMTP_URL)"
RETRYABLE = (OutboxStatus.PENDING, OutboxStatus.FAILED)


class DeliverySettings(Protocol):
    """What `Transports.from_settings` reads (api.settings.Settings has it all)."""

    smtp_url: str | None
    mail_from: str
    public_url: str


@dataclass
class Transports:
    """How messages leave: the SMTP sender (None without `PORTAL_SMTP_URL`) and the webhook sender."""

    email: SmtpSender | None = None
    webhooks: WebhookSender | None = None

    @classmethod
    def from_settings(cls, settings: DeliverySettings, master_key: MasterKey | None) -> Transports:
        """The transports the settings describe. `master_key` opens the webhook endpoints' secrets (None: webhook
        rows fail and are retried until a process with the key sends them). Raises ValueError for a malformed SMTP
        URL or sender address (Settings.from_env has already refused those)."""
        email = None
        if settings.smtp_url:
            email = SmtpSender(SmtpServer.from_url(settings.smtp_url), parse_mail_from(settings.mail_from),
                               portal_url=settings.public_url or None)
        return cls(email=email, webhooks=WebhookSender(master_key))

    async def aclose(self) -> None:
        """Close the webhook client's connections."""
        if self.webhooks is not None:
            await self.webhooks.aclose()

    async def __aenter__(self) -> Transports:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()


@dataclass
class DeliveryReport:
    """What one `deliver_due` call did: messages sent, failed and to be retried, and given up (DEAD)."""

    sent: int = 0
    retried: int = 0
    dead: int = 0

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.dead


def backoff(attempts: int, idempotency_key: str = "") -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: 1, 2, 4 … minutes, at most an hour, plus a jitter of
    up to 10% derived from the message (so the same message always waits the same)."""
    delay = min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)
    digest = hashlib.sha256(f"{idempotency_key}:{attempts}".encode()).digest()
    fraction = int.from_bytes(digest[:4], "big") / 0xFFFFFFFF
    return delay * (1 + BACKOFF_JITTER * fraction)


async def claim_due(now: datetime, limit: int) -> list[OutboxMessage]:
    """Lease up to `limit` due rows to this caller (see the module's docstring); the rows come back with their new
    `attempts` and `next_attempt_at` (the lease's end). No other caller gets them until the lease has passed."""
    lease_until = now + LEASE
    async with in_transaction() as connection:
        if not connection.capabilities.support_for_update:
            # SQLite: a write statement (matching nothing) takes the database's write lock now, so no other process
            # can claim between this SELECT and the UPDATE below.
            await connection.execute_query('UPDATE "outbox_message" SET "attempts" = "attempts" WHERE 0 = 1')
        rows = await OutboxMessage.filter(
            status__in=list(RETRYABLE), next_attempt_at__lte=now
        ).using_db(connection).order_by("next_attempt_at").limit(limit).select_for_update(skip_locked=True)
        if not rows:
            return []
        await OutboxMessage.filter(id__in=[row.id for row in rows]).using_db(connection).update(
            attempts=F("attempts") + 1, next_attempt_at=lease_until)
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = lease_until
    return rows


async def _send(message: OutboxMessage, transports: Transports, clock: Clock) -> Outcome:
    try:
        if message.channel == OutboxChannel.EMAIL:
            if transports.email is None:
                return Outcome(False, NO_SMTP)
            return await transports.email.send(message.payload, message.idempotency_key, clock.now())
        if transports.webhooks is None:
            return Outcome(False, "no webhook transport in this process")
        return await transports.webhooks.send(message, clock)
    except Exception as error:  # noqa: BLE001 - one message's unexpected failure must not stop the others
        log.exception("delivering outbox message %s failed unexpectedly", message.id)
        return Outcome(False, f"{type(error).__name__}: {error}")


async def _record(message: OutboxMessage, outcome: Outcome, now: datetime) -> str:
    """Write the attempt's result; which count of the report it goes to."""
    this_claim = OutboxMessage.filter(id=message.id)
    if outcome.ok:
        # Even if the row was given up meanwhile (its endpoint disabled), it was delivered: say so.
        await this_claim.exclude(status=OutboxStatus.SENT).update(status=OutboxStatus.SENT, sent_at=now)
        return "sent"
    # Only while the row is still this claim's: a later claim (after the lease) records its own attempt.
    this_claim = this_claim.filter(attempts=message.attempts, status__in=list(RETRYABLE))
    error = (outcome.error or "failed")[:MAX_ERROR]
    log.info("outbox message %s (%s) attempt %d failed: %s", message.id, message.channel, message.attempts, error)
    if outcome.permanent or message.attempts >= MAX_ATTEMPTS:
        await this_claim.update(status=OutboxStatus.DEAD, last_error=error)
        return "dead"
    await this_claim.update(status=OutboxStatus.FAILED, last_error=error,
                            next_attempt_at=now + backoff(message.attempts, message.idempotency_key))
    return "retried"


async def deliver_due(clock: Clock, transports: Transports, *, limit: int = 100) -> DeliveryReport:
    """Claim up to `limit` due outbox rows, send them, and record each result (see the module's docstring).

    Safe to run concurrently in any number of processes: each row is claimed by one caller at a time."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    report = DeliveryReport()
    claimed = await claim_due(clock.now(), limit)
    if not claimed:
        return report
    in_flight = asyncio.Semaphore(CONCURRENCY)

    async def deliver(message: OutboxMessage) -> str | None:
        async with in_flight:
            if clock.now() + SEND_BUDGET > message.next_attempt_at:
                return None  # too late to finish within the lease: it is due again when the lease ends
            return await _record(message, await _send(message, transports, clock), clock.now())

    for result in await asyncio.gather(*(deliver(message) for message in claimed)):
        if result is not None:
            setattr(report, result, getattr(report, result) + 1)
    return report
