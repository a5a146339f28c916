"""Sending notifications: inbox rows, e-mails and webhook events, written in the caller's transaction.

A workflow (or the deadline scheduler) gathers what to say in a `NotificationBatch` and writes it with `flush`, inside
the same transaction as the change that caused it: the change and its notifications commit together or not at all.
E-mails and webhook calls are outbox rows, delivered afterwards, at least once (`workflows.notifications.delivery`).

Every notification has a key naming its cause (`ack:<id>:remind:1`); the inbox row, each e-mail and each webhook call
derive unique keys from it, so the database itself refuses to record the same cause twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.enums import OutboxChannel, OutboxStatus
from domain.ids import new_id
from domain.models import Notification, OutboxMessage, User, WebhookEndpoint
from workflows.bulk import insert_rows
from workflows.notifications.messages import render


@dataclass(frozen=True)
class Recipient:
    """A user to notify, with where to send e-mail and the language of the inbox."""

    user_id: uuid.UUID
    email: str
    locale: str = "zh-CN"

    @classmethod
    def of(cls, user: User) -> Recipient:
        return cls(user.id, user.email, user.locale)


async def organisation_recipients(organization_ids: Iterable[uuid.UUID],
                                  connection: BaseDBAsyncClient | None = None) -> dict[uuid.UUID, list[Recipient]]:
    """The active users of each organisation, in one query."""
    ids = list(set(organization_ids))
    recipients: dict[uuid.UUID, list[Recipient]] = {org_id: [] for org_id in ids}
    if not ids:
        return recipients
    rows = await User.filter(organization_id__in=ids, is_active=True).using_db(connection).order_by("email").values(
        "id", "email", "locale", "organization_id")
    for row in rows:
        recipients[row["organization_id"]].append(Recipient(row["id"], row["email"], row["locale"]))
    return recipients


@dataclass
class _WebhookEvent:
    organization_id: uuid.UUID
    event: str
    key: str
    data: dict[str, Any]


@dataclass
class NotificationBatch:
    """Notifications gathered during one transaction, written by `flush` in a few bulk inserts."""

    at: datetime
    notifications: list[dict[str, Any]] = field(default_factory=list)  # Notification rows
    messages: list[dict[str, Any]] = field(default_factory=list)  # OutboxMessage rows
    webhook_events: list[_WebhookEvent] = field(default_factory=list)

    def add(self, *, key: str, kind: str, context: dict[str, Any], recipients: Iterable[Recipient],
            subject_type: str, subject_id: uuid.UUID | None, webhook_organizations: Iterable[uuid.UUID] = (),
            webhook_data: dict[str, Any] | None = None) -> None:
        """Tell `recipients` (in the inbox and by e-mail) that `kind` happened, and the webhooks of
        `webhook_organizations` (each endpoint subscribed to `kind`, or to every event)."""
        text = render(kind, context)  # each language rendered once, when a recipient first needs it
        seen: set[uuid.UUID] = set()
        for recipient in recipients:
            if recipient.user_id in seen:
                continue
            seen.add(recipient.user_id)
            local = text.for_locale(recipient.locale)
            self.notifications.append({
                "id": new_id(), "user_id": recipient.user_id, "kind": kind, "title": local.title[:200],
                "body": local.body, "subject_type": subject_type, "subject_id": subject_id,
                "key": f"{key}:{recipient.user_id}", "created_at": self.at,
            })
            if recipient.email:
                self.messages.append(self._message(
                    OutboxChannel.EMAIL, f"{key}:mail:{recipient.user_id}", recipient.email,
                    {"to": recipient.email, "subject": text.subject, "text": text.text, "kind": kind,
                     "locale": recipient.locale, "key": key}))
        for organization_id in dict.fromkeys(webhook_organizations):
            self.webhook_events.append(_WebhookEvent(organization_id, kind, key, webhook_data or {}))

    async def flush(self, connection: BaseDBAsyncClient) -> None:
        """Write everything gathered, inside the caller's transaction."""
        if self.webhook_events:
            await self._webhook_messages(connection)
        await insert_rows(connection, Notification, self.notifications)
        await insert_rows(connection, OutboxMessage, self.messages)
        self.notifications, self.messages, self.webhook_events = [], [], []

    async def _webhook_messages(self, connection: BaseDBAsyncClient) -> None:
        organization_ids = {event.organization_id for event in self.webhook_events}
        endpoints = await WebhookEndpoint.filter(organization_id__in=organization_ids, is_active=True).using_db(
            connection).values("id", "organization_id", "url", "events")
        by_organization: dict[uuid.UUID, list[dict[str, Any]]] = {}
        for endpoint in endpoints:
            by_organization.setdefault(endpoint["organization_id"], []).append(endpoint)
        for event in self.webhook_events:
            for endpoint in by_organization.get(event.organization_id, []):
                if endpoint["events"] and event.event not in endpoint["events"]:
                    continue
                key = f"{event.key}:hook:{endpoint['id']}"
                self.messages.append(self._message(
                    OutboxChannel.WEBHOOK, key, endpoint["url"],
                    {"id": key, "event": event.event, "created_at": self.at.isoformat(), "data": event.data},
                    endpoint_id=endpoint["id"]))

    def _message(self, channel: OutboxChannel, key: str, recipient: str, payload: dict[str, Any],
                 endpoint_id: uuid.UUID | None = None) -> dict[str, Any]:
        return {"id": new_id(), "channel": channel, "idempotency_key": key, "recipient": recipient,
                "endpoint_id": endpoint_id, "payload": payload, "status": OutboxStatus.PENDING, "attempts": 0,
                "next_attempt_at": self.at, "last_error": "", "sent_at": None, "created_at": self.at}
