"""The audit trail: append-only, each event carries the hash of the one before it."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from domain.models.base import Record


class AuditEvent(Record):
    seq = fields.BigIntField(unique=True, description="position in the chain, from 1")
    action = fields.CharField(max_length=64, db_index=True)
    actor_user = fields.ForeignKeyField("models.User", related_name="audit_events", null=True)
    actor_org = fields.ForeignKeyField("models.Organization", related_name="audit_events_as_actor", null=True)
    subject_type = fields.CharField(max_length=32)
    subject_id = fields.UUIDField(null=True)
    supplier = fields.ForeignKeyField("models.Organization", related_name="audit_events", null=True)
    data = fields.JSONField(default=dict)
    prev_hash = fields.CharField(max_length=64)
    hash = fields.CharField(max_length=64, unique=True)

    class Meta:
        table = "audit_event"
        indexes = (("subject_type", "subject_id"),)


class AuditChainHead(Model):
    """One row, locked by every append, so that concurrent writers extend one chain and never fork it."""

    id = fields.IntField(primary_key=True)
    seq = fields.BigIntField(default=0)
    hash = fields.CharField(max_length=64)

    class Meta:
        table = "audit_chain_head"


class NumberSequence(Model):
    """The last number given for a prefix (`HT-2026`), incremented under a row lock."""

    prefix = fields.CharField(max_length=16, primary_key=True)
    value = fields.IntField(default=0)

    class Meta:
        table = "number_sequence"


class IdempotencyKey(Record):
    """A create request's key, so that a retried request creates nothing twice."""

    user = fields.ForeignKeyField("models.User", related_name="idempotency_keys")
    key = fields.CharField(max_length=128)
    operation = fields.CharField(max_length=64)
    subject_id = fields.UUIDField(null=True)
    request_hash = fields.CharField(max_length=64, default="", db_default="", description="sha256 of the request's input")

    class Meta:
        table = "idempotency_key"
        unique_together = (("user", "operation", "key"),)
