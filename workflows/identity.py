"""Identity: passwords (Argon2id), opaque bearer tokens stored only as hashes, and rate-limited logins.

A failed login never tells whether the e-mail exists: the same error, the same rate limit (keyed on the e-mail's hash,
existing or not), and the same Argon2 work (a dummy hash is verified when there is no such user).
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import OrgKind, Role, TokenKind
from domain.errors import AuthenticationFailed, Conflict, IllegalTransition, NotFound, RateLimited, ValidationFailed
from domain.models import AuthToken, LoginFailure, User
from workflows.audit import record_event

TOKEN_PREFIX = "ptk_"
MAX_EMAIL_LENGTH = 254
MAX_PASSWORD_LENGTH = 1024
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("not a password of anybody's")


@dataclass(frozen=True)
class LoginPolicy:
    session_hours: int = 12
    failures_per_account: int = 5
    failures_per_address: int = 30
    window_minutes: int = 15


@dataclass(frozen=True)
class IssuedToken:
    """The token's secret is shown once, here; the database keeps only its hash."""

    secret: str
    record: AuthToken
    user: User


def hash_password(password: str) -> str:
    if not (MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH):
        raise ValidationFailed(
            f"a password has {MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters", field="password"
        )
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _account_key(email: str) -> str:
    return "account:" + hashlib.sha256(normalise_email(email).encode("utf-8")).hexdigest()[:40]


def _address_key(address: str) -> str:
    return "address:" + address[:64]


async def login(email: str, password: str, *, address: str, clock: Clock, policy: LoginPolicy) -> IssuedToken:
    """A session token for a correct e-mail and password. Raises AuthenticationFailed or RateLimited, nothing else."""
    if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        raise AuthenticationFailed("wrong e-mail or password")
    now = clock.now()
    since = now - timedelta(minutes=policy.window_minutes)
    account_key, address_key = _account_key(email), _address_key(address)
    if (
        await LoginFailure.filter(key=account_key, at__gte=since).count() >= policy.failures_per_account
        or await LoginFailure.filter(key=address_key, at__gte=since).count() >= policy.failures_per_address
    ):
        raise RateLimited(f"too many failed logins; try again in {policy.window_minutes} minutes")

    user = await User.get_or_none(email=normalise_email(email)).select_related("organization")
    valid = password_matches(user.password_hash if user else None, password)
    if not valid or user is None or not user.is_active:
        async with in_transaction() as connection:
            await LoginFailure.create(key=account_key, at=now, using_db=connection)
            await LoginFailure.create(key=address_key, at=now, using_db=connection)
        raise AuthenticationFailed("wrong e-mail or password")

    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with in_transaction() as connection:
        record = await AuthToken.create(
            user=user, kind=TokenKind.SESSION, token_hash=token_digest(secret), created_at=now,
            expires_at=now + timedelta(hours=policy.session_hours), created_ip=address[:64], using_db=connection,
        )
        await LoginFailure.filter(key=account_key).using_db(connection).delete()
        await User.filter(id=user.id).using_db(connection).update(last_login_at=now)
        await record_event(connection, at=now, actor=actor_for(user), action="user.login", subject_type="User",
                           subject_id=user.id, data={"address": address[:64]})
    return IssuedToken(secret=secret, record=record, user=user)


def actor_for(user: User) -> Actor:
    """The Actor of a user whose organisation is loaded."""
    org = user.organization
    return _actor(user.id, org.id, org.kind, user.roles, user.email)


def _actor(user_id: uuid.UUID, org_id: uuid.UUID, org_kind: str, roles: list[str], email: str) -> Actor:
    return Actor(user_id=user_id, org_id=org_id, org_kind=OrgKind(org_kind),
                 roles=frozenset(Role(r) for r in roles if r in Role.__members__), email=email)


async def authenticate(secret: str, *, clock: Clock) -> Actor | None:
    """The Actor behind a bearer token, or None when the token is unknown, expired, revoked or its user inactive."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    # Every request asks this: only the columns it needs, without building three model objects.
    token = await AuthToken.filter(token_hash=token_digest(secret)).first().values(
        "revoked_at", "expires_at", "user_id", "user__is_active", "user__email", "user__roles", "user__organization_id",
        "user__organization__kind")
    now = clock.now()
    if token is None or token["revoked_at"] is not None or (token["expires_at"] is not None
                                                            and token["expires_at"] <= now):
        return None
    if not token["user__is_active"]:
        return None
    return _actor(token["user_id"], token["user__organization_id"], token["user__organization__kind"],
                  token["user__roles"], token["user__email"])


async def logout(secret: str, *, actor: Actor, clock: Clock) -> None:
    """Revoke the session token `secret`; a revoked token is refused from then on."""
    now = clock.now()
    async with in_transaction() as connection:
        updated = await AuthToken.filter(
            token_hash=token_digest(secret), user_id=actor.user_id, revoked_at__isnull=True
        ).using_db(connection).update(revoked_at=now)
        if updated:
            await record_event(connection, at=now, actor=actor, action="user.logout", subject_type="User",
                               subject_id=actor.user_id)


async def change_password(actor: Actor, current_password: str, new_password: str, *, session_secret: str | None,
                          clock: Clock, policy: LoginPolicy) -> None:
    """Replace the acting user's password, given the current one. Every other session of theirs ends (the one making
    the request, `session_secret`, stays); API tokens, which integrations hold, stay too.

    Raises WRONG_PASSWORD (`currentPassword`), which counts against the account like a failed login, TOO_MANY_ATTEMPTS
    once those run out, and INVALID (`newPassword`) for a new password of the wrong length or equal to the current."""
    now = clock.now()
    account_key = _account_key(actor.email)
    since = now - timedelta(minutes=policy.window_minutes)
    if await LoginFailure.filter(key=account_key, at__gte=since).count() >= policy.failures_per_account:
        raise RateLimited(f"too many failed attempts; try again in {policy.window_minutes} minutes",
                          field="currentPassword")
    user = await User.get(id=actor.user_id)
    if len(current_password) > MAX_PASSWORD_LENGTH or not password_matches(user.password_hash, current_password):
        await LoginFailure.create(key=account_key, at=now)
        raise ValidationFailed("the current password is wrong", field="currentPassword", code="WRONG_PASSWORD")
    if new_password == current_password:
        raise ValidationFailed("the new password is the current one", field="newPassword")
    try:
        password_hash = hash_password(new_password)
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field="newPassword") from None
    keep = token_digest(session_secret) if session_secret else ""
    async with in_transaction() as connection:
        updated = await User.filter(id=user.id, password_hash=user.password_hash).using_db(connection).update(
            password_hash=password_hash)
        if not updated:
            raise Conflict("the password was changed by another request at the same moment; sign in again",
                           field="currentPassword")
        ended = await AuthToken.filter(user_id=user.id, kind=TokenKind.SESSION, revoked_at__isnull=True).exclude(
            token_hash=keep).using_db(connection).update(revoked_at=now)
        await LoginFailure.filter(key=account_key).using_db(connection).delete()
        await record_event(connection, at=now, actor=actor, action="user.password_changed", subject_type="User",
                           subject_id=user.id, supplier_id=actor.supplier_id,
                           data={"other_sessions_ended": ended})


async def create_api_token(actor: Actor, *, name: str, expires_at: datetime | None, clock: Clock) -> IssuedToken:
    """A long-lived token for an integration, owned by the acting user."""
    name = name.strip()
    if not (1 <= len(name) <= 100):
        raise ValidationFailed("a token name has 1 to 100 characters", field="name")
    now = clock.now()
    if expires_at is not None and expires_at.tzinfo is None:
        raise ValidationFailed("the expiry needs a time zone, e.g. 2027-01-01T00:00:00+08:00", field="expiresAt")
    if expires_at is not None and expires_at <= now:
        raise ValidationFailed("the expiry must be in the future", field="expiresAt")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with in_transaction() as connection:
        record = await AuthToken.create(user_id=actor.user_id, kind=TokenKind.API, name=name, created_at=now,
                                        token_hash=token_digest(secret), expires_at=expires_at, using_db=connection)
        await record_event(connection, at=now, actor=actor, action="token.create", subject_type="AuthToken",
                           subject_id=record.id, data={"name": name})
    user = await User.get(id=actor.user_id).select_related("organization")
    return IssuedToken(secret=secret, record=record, user=user)


async def revoke_api_token(actor: Actor, token_id, *, clock: Clock) -> None:
    """Revoke one of the actor's own API tokens (an admin may revoke any)."""
    token = await AuthToken.get_or_none(id=token_id, kind=TokenKind.API)
    if token is None or (token.user_id != actor.user_id and Role.ADMIN not in actor.roles):
        raise NotFound("no such API token", field="id")
    if token.revoked_at is not None:
        raise IllegalTransition("the token is already revoked", field="id")
    now = clock.now()
    async with in_transaction() as connection:
        await AuthToken.filter(id=token.id).using_db(connection).update(revoked_at=now)
        await record_event(connection, at=now, actor=actor, action="token.revoke", subject_type="AuthToken",
                           subject_id=token.id)
