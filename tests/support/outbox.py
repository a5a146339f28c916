"""Builders for the delivery tests: fresh organisations with their own users, outbox rows, and real servers that
receive what the portal sends (an HTTP server for webhooks; the SMTP server is aiosmtpd, in test_email).

The outbox is shared by the whole test session, and `deliver_due` takes every due row. So these tests live in the
far past (`ERA`): no other test's rows are due then, and `outbox_era` gives up, after each test, whatever it left
undelivered there, so that nothing of theirs is ever due for a later test either.
"""

from __future__ import annotations

import json
import socket
import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from domain.actors import Actor
from domain.enums import OrgKind, OutboxChannel, OutboxStatus, QualificationStatus, Role
from domain.models import Organization, OutboxMessage, User, WebhookEndpoint
from tests.support.suppliers import PASSWORD, credit_code
from workflows.identity import hash_password

ERA = datetime(2001, 3, 1, 8, 0, tzinfo=UTC)
ERA_ENDS = datetime(2002, 1, 1, tzinfo=UTC)


@pytest.fixture
async def outbox_era() -> Any:
    """Run a test in the far past; afterwards, give up every row it left to deliver there."""
    yield ERA
    await OutboxMessage.filter(status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
                               next_attempt_at__lt=ERA_ENDS).update(status=OutboxStatus.DEAD)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass(frozen=True)
class Member:
    email: str
    actor: Actor


@dataclass(frozen=True)
class FreshOrganization:
    organization: Organization
    admin: Member
    user: Member


async def fresh_supplier(password: bool = False) -> FreshOrganization:
    """A new qualified supplier with a SUPPLIER_ADMIN and a SUPPLIER_USER (who can log in with PASSWORD when
    `password`: hashing it is slow on purpose, so only the API tests ask)."""
    tag = uuid.uuid4().hex[:8]
    organization = await Organization.create(
        kind=OrgKind.SUPPLIER, code=f"W-{tag.upper()}", name_zh="回调测试供应商", name_en="Webhook Test Supplier",
        qualification_status=QualificationStatus.QUALIFIED, credit_code=credit_code())
    password_hash = hash_password(PASSWORD) if password else None
    members = []
    for role in (Role.SUPPLIER_ADMIN, Role.SUPPLIER_USER):
        email = f"{role.value.lower()}-{tag}@webhook-supplier.example"
        user = await User.create(email=email, display_name=f"Webhook {role.value}", organization=organization,
                                 roles=[role.value], password_hash=password_hash)
        members.append(Member(email, Actor(user.id, organization.id, OrgKind.SUPPLIER, frozenset({role}), email)))
    return FreshOrganization(organization, *members)


def webhook_message(endpoint: WebhookEndpoint, at: datetime, event: str = "acknowledgement.overdue",
                    data: dict[str, Any] | None = None) -> OutboxMessage:
    """An outbox row for `endpoint`, as `NotificationBatch` writes one, due at `at` (not saved)."""
    key = f"test:{uuid.uuid4().hex}:hook:{endpoint.id}"
    return OutboxMessage(
        channel=OutboxChannel.WEBHOOK, idempotency_key=key, recipient=endpoint.url, endpoint_id=endpoint.id,
        status=OutboxStatus.PENDING, next_attempt_at=at, created_at=at,
        payload={"id": key, "event": event, "created_at": at.isoformat(), "data": data or {"number": "PO-2001-0001"}})


def email_message(to: str, at: datetime, *, subject: str = "提醒 / Reminder", text: str = "请确认。\n\n———\n\nPlease "
                  "acknowledge.\n") -> OutboxMessage:
    """An e-mail outbox row, as `NotificationBatch` writes one, due at `at` (not saved)."""
    key = f"test:{uuid.uuid4().hex}"
    return OutboxMessage(
        channel=OutboxChannel.EMAIL, idempotency_key=f"{key}:mail:{uuid.uuid4()}", recipient=to,
        status=OutboxStatus.PENDING, next_attempt_at=at, created_at=at,
        payload={"to": to, "subject": subject, "text": text, "kind": "acknowledgement.reminder", "locale": "zh-CN",
                 "key": key})


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    """A real HTTP server on 127.0.0.1, in a thread: it records every request and answers with the next of
    `statuses`, then `default`. `delay` (seconds) slows each answer, to make deliveries overlap."""

    statuses: list[int] = field(default_factory=list)
    default: int = 200
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks/portal"

    def _answer(self, request: BaseHTTPRequestHandler) -> None:
        length = int(request.headers.get("Content-Length") or 0)
        body = request.rfile.read(length)
        with self._lock:
            self.received.append(Received(request.path, {k: v for k, v in request.headers.items()}, body))
            status = self.statuses.pop(0) if self.statuses else self.default
        if self.delay:
            threading.Event().wait(self.delay)
        reply = b'{"ok":true}' if status < 300 else b"receiver unavailable"
        request.send_response(status)
        if 300 <= status < 400:
            request.send_header("Location", "https://elsewhere.example/hook")
        request.send_header("Content-Length", str(len(reply)))
        request.end_headers()
        request.wfile.write(reply)

    def keys(self) -> list[str]:
        return [r.headers["Idempotency-Key"] for r in self.received]

    def __enter__(self) -> WebhookReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                receiver._answer(self)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()


def closed_port_url() -> str:
    """A URL where nothing listens."""
    return f"http://127.0.0.1:{free_port()}/hooks/portal"
