"""Parties: organisations (the buyer and its suppliers), their qualification documents, users and tokens."""

from __future__ import annotations

from tortoise import fields

from domain.enums import OrgKind, QualificationDocumentKind, QualificationStatus, TokenKind
from domain.models.base import Record


class Organization(Record):
    kind = fields.CharEnumField(OrgKind, max_length=16, db_index=True)
    code = fields.CharField(max_length=32, unique=True, description="short code, e.g. SUP-A")
    name_zh = fields.CharField(max_length=200)
    name_en = fields.CharField(max_length=200)
    qualification_status = fields.CharEnumField(QualificationStatus, max_length=16, null=True, db_index=True)
    categories = fields.JSONField(default=list, description="purchasing categories the supplier serves")
    credit_code = fields.CharField(max_length=32, default="", description="统一社会信用代码")
    address = fields.CharField(max_length=300, default="")
    contact_email = fields.CharField(max_length=254, default="")
    qualified_at = fields.DatetimeField(null=True)
    suspended_at = fields.DatetimeField(null=True)
    suspension_reason = fields.CharField(max_length=500, default="", db_default="")
    rejected_at = fields.DatetimeField(null=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "organization"


class QualificationDocument(Record):
    organization = fields.ForeignKeyField("models.Organization", related_name="qualification_documents")
    kind = fields.CharEnumField(QualificationDocumentKind, max_length=24)
    number = fields.CharField(max_length=64)
    title = fields.CharField(max_length=200)
    issued_on = fields.DateField(null=True)
    expires_on = fields.DateField(null=True, db_index=True)

    class Meta:
        table = "qualification_document"


class User(Record):
    email = fields.CharField(max_length=254, unique=True)
    display_name = fields.CharField(max_length=120)
    organization = fields.ForeignKeyField("models.Organization", related_name="users")
    roles = fields.JSONField(default=list)
    password_hash = fields.CharField(max_length=255, null=True, description="argon2id; null until activated")
    is_active = fields.BooleanField(default=True)
    manager = fields.ForeignKeyField("models.User", related_name="reports", null=True)
    locale = fields.CharField(max_length=8, default="zh-CN")
    time_zone = fields.CharField(max_length=64, default="Asia/Shanghai")
    last_login_at = fields.DatetimeField(null=True)
    activation_token_hash = fields.CharField(max_length=64, null=True, unique=True,
                                             description="sha256 of the one-time activation link's secret")
    activation_expires_at = fields.DatetimeField(null=True)

    class Meta:
        table = "user"


class AuthToken(Record):
    """A bearer token: only its SHA-256 is stored. Sessions expire; API tokens may not."""

    user = fields.ForeignKeyField("models.User", related_name="tokens")
    kind = fields.CharEnumField(TokenKind, max_length=16)
    name = fields.CharField(max_length=100, default="")
    token_hash = fields.CharField(max_length=64, unique=True)
    expires_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    created_ip = fields.CharField(max_length=64, default="")

    class Meta:
        table = "auth_token"


class LoginFailure(Record):
    """One failed login, counted per account and per address to rate-limit guessing."""

    key = fields.CharField(max_length=100, description="'account:<sha256 of e-mail>' or 'address:<ip>'")
    at = fields.DatetimeField()

    class Meta:
        table = "login_failure"
        indexes = (("key", "at"),)
