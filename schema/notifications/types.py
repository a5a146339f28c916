"""GraphQL types for notifications."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain import enums, models as m


@strawberry.type(description="A message in the viewer's inbox, about one record (`subjectType`, `subjectId`).")
class Notification:
    id: strawberry.ID
    kind: str = strawberry.field(description="What happened, e.g. `contract.issued`.")
    title: str
    body: str
    subject_type: str
    subject_id: strawberry.ID | None
    read_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: m.Notification) -> Notification:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, title=row.title, body=row.body,
            subject_type=row.subject_type,
            subject_id=strawberry.ID(str(row.subject_id)) if row.subject_id else None,
            read_at=row.read_at, created_at=row.created_at,
        )


OutboxStatus = strawberry.enum(enums.OutboxStatus, description="Where an e-mail or webhook event is in its delivery.")


@strawberry.type(description="Where the viewer's organisation receives the portal's events as signed JSON POSTs.")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    events: list[str] = strawberry.field(description="The event kinds it receives; empty: every event.")
    is_active: bool = strawberry.field(description="False once disabled after repeated failures (or by its admins).")
    consecutive_failures: int
    disabled_at: datetime | None
    created_at: datetime

    @classmethod
    def from_row(cls, row: m.WebhookEndpoint) -> WebhookEndpoint:
        return cls(id=strawberry.ID(str(row.id)), url=row.url, events=list(row.events or []), is_active=row.is_active,
                   consecutive_failures=row.consecutive_failures, disabled_at=row.disabled_at,
                   created_at=row.created_at)


@strawberry.type(description="One attempt to deliver an event to a webhook endpoint: what the receiver answered.")
class WebhookDelivery:
    id: strawberry.ID
    event: str
    idempotency_key: str = strawberry.field(description="Sent as `Idempotency-Key`: the same on every retry.")
    attempt: int
    status_code: int | None = strawberry.field(description="The receiver's HTTP status; null when none came.")
    error: str
    duration_ms: int
    message_status: OutboxStatus = strawberry.field(description="Where the event's delivery is now.")
    created_at: datetime

    @classmethod
    def from_row(cls, row: m.WebhookDelivery) -> WebhookDelivery:
        """`row` with its message (select_related("message"))."""
        message = row.message
        return cls(id=strawberry.ID(str(row.id)), event=str(message.payload.get("event", "")),
                   idempotency_key=message.idempotency_key, attempt=row.attempt, status_code=row.status_code,
                   error=row.error, duration_ms=row.duration_ms, message_status=enums.OutboxStatus(message.status),
                   created_at=row.created_at)
