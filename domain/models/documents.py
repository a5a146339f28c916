"""Signed documents: each version is a file stored by content hash; each signature is recorded; the portal's keys."""

from __future__ import annotations

from tortoise import fields

from domain.enums import DocumentKind, DocumentFileRole, KeyKind, KeyStatus
from domain.models.base import Record


class Document(Record):
    kind = fields.CharEnumField(DocumentKind, max_length=32, db_index=True)
    number = fields.CharField(max_length=32, description="the subject's number, e.g. HT-2026-0001")
    title = fields.CharField(max_length=200)
    subject_type = fields.CharField(max_length=32)
    subject_id = fields.UUIDField()
    supplier = fields.ForeignKeyField("models.Organization", related_name="documents", null=True)
    current_version = fields.IntField(default=0)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "document"
        unique_together = (("kind", "subject_id"),)
        indexes = (("supplier", "kind"), ("supplier", "id"), ("subject_type", "subject_id"))


class DocumentVersion(Record):
    """One issued revision of a document. `sha256` is that of its canonical content (printed in its verification block);
    `storage_key` and `size` are those of its current file: buyer-signed, then countersigned. Empty until rendered."""

    document = fields.ForeignKeyField("models.Document", related_name="versions")
    version = fields.IntField()
    sha256 = fields.CharField(max_length=64, unique=True)
    size = fields.BigIntField()
    storage_key = fields.CharField(max_length=200)
    created_by = fields.ForeignKeyField("models.User", related_name="document_versions", null=True)
    signature_boxes = fields.JSONField(default=dict, db_default="{}",
                                       description="stamp places: party -> [page, x1, y1, x2, y2]")

    class Meta:
        table = "document_version"
        unique_together = (("document", "version"),)


class DocumentFile(Record):
    """A file the portal issued, stored by content hash: each signed state of a version, and its evidence record.
    `verify` accepts a file only if its sha256 is here."""

    version = fields.ForeignKeyField("models.DocumentVersion", related_name="files")
    role = fields.CharEnumField(DocumentFileRole, max_length=16)
    sha256 = fields.CharField(max_length=64, unique=True)
    size = fields.BigIntField()
    storage_key = fields.CharField(max_length=200)

    class Meta:
        table = "document_file"


class Signature(Record):
    version = fields.ForeignKeyField("models.DocumentVersion", related_name="signatures")
    file = fields.ForeignKeyField("models.DocumentFile", related_name="signatures", null=True,
                                  description="the file as it stood once this signature was added")
    field_name = fields.CharField(max_length=64)
    signer_org = fields.ForeignKeyField("models.Organization", related_name="signatures")
    signer_user = fields.ForeignKeyField("models.User", related_name="signatures", null=True)
    certificate_fingerprint = fields.CharField(max_length=64, db_index=True)
    signed_at = fields.DatetimeField()
    reason = fields.CharField(max_length=200, default="")
    timestamp_token = fields.BinaryField(null=True)

    class Meta:
        table = "signature"


class SigningKey(Record):
    """A certificate of the portal's PKI and its private key, encrypted under the master key."""

    organization = fields.ForeignKeyField("models.Organization", related_name="signing_keys", null=True)
    kind = fields.CharEnumField(KeyKind, max_length=16)
    status = fields.CharEnumField(KeyStatus, max_length=16, default=KeyStatus.ACTIVE)
    subject = fields.CharField(max_length=300)
    serial = fields.CharField(max_length=64)
    fingerprint = fields.CharField(max_length=64, unique=True, description="sha256 of the DER certificate")
    certificate_pem = fields.TextField()
    encrypted_private_key = fields.BinaryField()
    not_before = fields.DatetimeField()
    not_after = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    revocation_reason = fields.CharField(max_length=200, default="")

    class Meta:
        table = "signing_key"
        indexes = (("organization", "kind", "status"),)
