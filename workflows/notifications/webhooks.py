"""Webhook delivery: one outbox row becomes one signed JSON POST to its endpoint, and one row of the delivery log.

Every request carries:

- `Content-Type: application/json`; the body is the row's payload (`id`, `event`, `created_at`, `data`);
- `X-Portal-Event`: the event kind, e.g. `acknowledgement.overdue`;
- `X-Portal-Delivery` and `Idempotency-Key`: the row's idempotency key, the same on every retry, so a receiver drops
  repeats (delivery is at least once);
- `X-Portal-Timestamp`: when the request was signed, in Unix seconds;
- `X-Portal-Signature: sha256=<hex>`: HMAC-SHA256, under the endpoint's secret, of `"{timestamp}.{body}"`.

Receivers check the signature with `verify_signature` (or its few lines in their own language) and refuse a timestamp
older than a few minutes, so a captured request cannot be replayed later.

A 2xx answer is a success and resets the endpoint's failure count; anything else (another status, a redirect, which is
never followed, a timeout, a refused connection) is a failure, retried with backoff by `delivery`. After
`DISABLE_AFTER_FAILURES` consecutive failures the endpoint is disabled and its undelivered messages are given up.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from datetime import datetime, timedelta
from typing import Any

import httpx
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.clock import Clock
from domain.enums import OrgKind, OutboxStatus
from domain.models import Organization, OutboxMessage, WebhookDelivery, WebhookEndpoint
from workflows.audit import record_event
from workflows.documents.pki import MasterKey, MasterKeyError
from workflows.notifications.endpoints import open_secret
from workflows.notifications.outcome import Outcome

log = logging.getLogger("portal.notifications")

DISABLE_AFTER_FAILURES = 10
SIGNATURE_TOLERANCE = timedelta(minutes=5)
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
TOTAL_TIMEOUT_SECONDS = 30.0  # httpx's timeouts are per operation: this bounds a receiver that answers byte by byte
MAX_EXCERPT = 200
MAX_ERROR = 1000
USER_AGENT = "supplier-portal-webhooks/1"


def encode_body(payload: dict[str, Any]) -> bytes:
    """The exact bytes sent and signed: compact UTF-8 JSON."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The `X-Portal-Signature` value: `sha256=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"`."""
    digest = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


def verify_signature(secret: str, timestamp: str | int, body: bytes | str, signature: str, now: datetime,
                     tolerance: timedelta = SIGNATURE_TOLERANCE) -> bool:
    """Whether a received webhook is genuine: `signature` (the `X-Portal-Signature` header) matches `body` and
    `timestamp` (the `X-Portal-Timestamp` header) under `secret`, and the timestamp is within `tolerance` of `now`."""
    try:
        seconds = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs(now.timestamp() - seconds) > tolerance.total_seconds():
        return False
    raw = body.encode("utf-8") if isinstance(body, str) else bytes(body)
    return hmac.compare_digest(sign(secret, seconds, raw), signature.strip())


def signed_headers(message: OutboxMessage, secret: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-Portal-Event": str(message.payload.get("event", "")),
        "X-Portal-Delivery": message.idempotency_key,
        "Idempotency-Key": message.idempotency_key,
        "X-Portal-Timestamp": str(timestamp),
        "X-Portal-Signature": sign(secret, timestamp, body),
    }


async def _excerpt(response: httpx.Response) -> str:
    """The first bytes of an error answer, for the log: never the whole of whatever a receiver sends back."""
    received = b""
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= MAX_EXCERPT:
            break
    return received[:MAX_EXCERPT].decode("utf-8", errors="replace").strip()


class WebhookSender:
    """Posts outbox rows to their endpoints with one shared HTTP client, and keeps each endpoint's delivery log and
    failure count. `master` opens the endpoints' secrets; without it nothing can be signed and every attempt fails
    (without counting against the endpoint, whose fault it is not)."""

    def __init__(self, master: MasterKey | None, client: httpx.AsyncClient | None = None, *,
                 disable_after: int = DISABLE_AFTER_FAILURES) -> None:
        self.master = master
        self.client = client or httpx.AsyncClient(timeout=TIMEOUT, follow_redirects=False,
                                                  headers={"User-Agent": USER_AGENT})
        self.disable_after = disable_after

    async def aclose(self) -> None:
        await self.client.aclose()

    async def send(self, message: OutboxMessage, clock: Clock) -> Outcome:
        """POST the message to its endpoint, log the attempt, and count the endpoint's failures."""
        endpoint = await WebhookEndpoint.get_or_none(id=message.endpoint_id) if message.endpoint_id else None
        if endpoint is None:
            return Outcome(False, "the webhook endpoint was deleted", permanent=True)
        if not endpoint.is_active:
            return Outcome(False, "the webhook endpoint is disabled", permanent=True)
        if self.master is None:
            return Outcome(False, "no master key: webhook secrets cannot be opened to sign the request")
        try:
            secret = open_secret(endpoint.encrypted_secret, self.master, endpoint.id)
        except MasterKeyError as error:
            return Outcome(False, f"cannot sign the request: {error}")
        timestamp = int(clock.now().timestamp())
        body = encode_body(message.payload)
        started = time.monotonic()
        status_code, error = await self._post(endpoint.url, body, signed_headers(message, secret, timestamp, body))
        duration_ms = int((time.monotonic() - started) * 1000)
        ok = status_code is not None and 200 <= status_code < 300
        try:
            disabled = await self._log_attempt(message, endpoint, status_code, error, duration_ms, clock.now())
        except IntegrityError:  # the endpoint, and with it this message, was deleted during the request
            return Outcome(ok, error or "", permanent=not ok)
        if ok:
            return Outcome(True)
        if disabled:
            return Outcome(False, f"{error}; the endpoint was disabled after {self.disable_after} consecutive "
                                  f"failures"[:MAX_ERROR], permanent=True)
        return Outcome(False, error)

    async def _post(self, url: str, body: bytes, headers: dict[str, str]) -> tuple[int | None, str]:
        """The status code (None when no answer came) and, for a failure, why."""
        try:
            async with asyncio.timeout(TOTAL_TIMEOUT_SECONDS):
                async with self.client.stream("POST", url, content=body, headers=headers) as response:
                    if 200 <= response.status_code < 300:
                        return response.status_code, ""
                    if response.is_redirect:
                        return response.status_code, f"HTTP {response.status_code}: redirects are not followed"
                    excerpt = await _excerpt(response)
                    return response.status_code, f"HTTP {response.status_code}: {excerpt}".strip(": ")[:MAX_ERROR]
        except (TimeoutError, httpx.TimeoutException):
            return None, "timed out"
        except httpx.HTTPError as error:
            return None, f"{type(error).__name__}: {error}"[:MAX_ERROR]

    async def _log_attempt(self, message: OutboxMessage, endpoint: WebhookEndpoint, status_code: int | None,
                           error: str, duration_ms: int, now: datetime) -> bool:
        """Write the attempt to the delivery log and update the endpoint's failure count, in one transaction;
        whether this failure disabled the endpoint."""
        ok = status_code is not None and 200 <= status_code < 300
        endpoints = WebhookEndpoint.filter(id=endpoint.id)
        async with in_transaction() as connection:
            await WebhookDelivery.create(message_id=message.id, attempt=message.attempts, status_code=status_code,
                                         error=error[:MAX_ERROR], duration_ms=duration_ms, created_at=now,
                                         using_db=connection)
            if ok:
                await endpoints.filter(consecutive_failures__gt=0).using_db(connection).update(consecutive_failures=0)
                return False
            await endpoints.using_db(connection).update(consecutive_failures=F("consecutive_failures") + 1)
            disabled = await endpoints.filter(is_active=True, consecutive_failures__gte=self.disable_after).using_db(
                connection).update(is_active=False, disabled_at=now)
            if not disabled:
                return False
            reason = f"the endpoint was disabled after {self.disable_after} consecutive failures"
            await OutboxMessage.filter(
                endpoint_id=endpoint.id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
            ).using_db(connection).update(status=OutboxStatus.DEAD, last_error=reason)
            kind = await Organization.filter(id=endpoint.organization_id).using_db(connection).values_list(
                "kind", flat=True)
            await record_event(connection, at=now, actor=None, action="webhook_endpoint.disable",
                               subject_type="WebhookEndpoint", subject_id=endpoint.id,
                               supplier_id=endpoint.organization_id if OrgKind.SUPPLIER in kind else None,
                               data={"url": endpoint.url, "consecutive_failures": self.disable_after})
        log.warning("webhook endpoint %s (%s) disabled after %d consecutive failures", endpoint.id, endpoint.url,
                    self.disable_after)
        return True
