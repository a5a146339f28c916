"""Notifications: the in-app inbox, the outbox for e-mail and webhooks, and organisations' webhook endpoints."""

from __future__ import annotations

from tortoise import fields

from domain.enums import OutboxChannel, OutboxStatus
from domain.models.base import Record


class Notification(Record):
    user = fields.ForeignKeyField("models.User", related_name="notifications")
    kind = fields.CharField(max_length=48)
    title = fields.CharField(max_length=200)
    body = fields.TextField(default="")
    subject_type = fields.CharField(max_length=32, default="")
    subject_id = fields.UUIDField(null=True)
    read_at = fields.DatetimeField(null=True)
    key = fields.CharField(max_length=128, null=True, unique=True,
                           description="what caused it, e.g. 'ack:<id>:remind:1:<user>': the same cause never notifies twice")

    class Meta:
        table = "notification"
        # The inbox (unread first) and the subscription's "new since" poll.
        indexes = (("user", "read_at"), ("user", "created_at"))


class WebhookEndpoint(Record):
    organization = fields.ForeignKeyField("models.Organization", related_name="webhook_endpoints")
    url = fields.CharField(max_length=500)
    encrypted_secret = fields.BinaryField()
    events = fields.JSONField(default=list)
    is_active = fields.BooleanField(default=True)
    consecutive_failures = fields.IntField(default=0)
    disabled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "webhook_endpoint"


class OutboxMessage(Record):
    """A message to deliver at least once; `idempotency_key` lets receivers drop repeats."""

    channel = fields.CharEnumField(OutboxChannel, max_length=16)
    idempotency_key = fields.CharField(max_length=128, unique=True)
    recipient = fields.CharField(max_length=500, description="an e-mail address or a webhook endpoint id")
    endpoint = fields.ForeignKeyField("models.WebhookEndpoint", related_name="messages", null=True)
    payload = fields.JSONField()
    status = fields.CharEnumField(OutboxStatus, max_length=16, default=OutboxStatus.PENDING)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField(null=True)
    last_error = fields.CharField(max_length=1000, default="")
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        indexes = (("status", "next_attempt_at"),)


class WebhookDelivery(Record):
    message = fields.ForeignKeyField("models.OutboxMessage", related_name="deliveries")
    attempt = fields.IntField()
    status_code = fields.IntField(null=True)
    error = fields.CharField(max_length=1000, default="")
    duration_ms = fields.IntField(default=0)

    class Meta:
        table = "webhook_delivery"
