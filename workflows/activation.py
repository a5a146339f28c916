"""One-time activation links: how an invited user sets a first password.

The secret is shown once (in the invitation's answer, or later in the e-mail of issue #5); the database keeps only its
sha256 and an expiry. Activating sets the password and clears the secret in one conditional UPDATE, so a link works
exactly once even when it is used twice at the same moment. An unknown, expired or used link gets one and the same
answer, and failed attempts are rate-limited per address like logins.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.clock import Clock
from domain.errors import RateLimited, ValidationFailed
from domain.models import LoginFailure, User
from workflows.audit import record_event
from workflows.identity import LoginPolicy, actor_for, hash_password, token_digest

ACTIVATION_PREFIX = "pac_"
ACTIVATION_VALIDITY = timedelta(days=7)
MAX_SECRET_LENGTH = 100
ACTIVATION_PATH = "/activate"


@dataclass(frozen=True)
class ActivationSecret:
    """The secret of a new activation link (shown once) and when it stops working."""

    secret: str
    expires_at: datetime


def activation_link(public_url: str, secret: str) -> str:
    """The link a user opens to activate their account: `<public url>/activate?token=<secret>`."""
    return f"{public_url.rstrip('/')}{ACTIVATION_PATH}?{urlencode({'token': secret})}"


async def issue_activation(connection: BaseDBAsyncClient, user_id, now: datetime,  # noqa: ANN001 - a UUID
                           validity: timedelta = ACTIVATION_VALIDITY) -> ActivationSecret:
    """Give the user a new activation secret, in the caller's transaction; any earlier link stops working."""
    secret = ACTIVATION_PREFIX + secrets.token_urlsafe(32)
    expires_at = now + validity
    await User.filter(id=user_id).using_db(connection).update(
        activation_token_hash=token_digest(secret), activation_expires_at=expires_at)
    return ActivationSecret(secret, expires_at)


def _attempts_key(address: str) -> str:
    return "activation:" + address[:64]


def _invalid_link() -> ValidationFailed:
    # One answer for unknown, expired and used links: the answer must not help anyone guess.
    return ValidationFailed("this activation link is invalid, expired or already used: ask for a new one",
                            field="token", code="INVALID_ACTIVATION_TOKEN")


async def activate_account(token: str, password: str, *, address: str, clock: Clock, policy: LoginPolicy) -> User:
    """Set the first password of the user whose activation link carries `token`, and make the link unusable.

    Raises INVALID_ACTIVATION_TOKEN (unknown, expired or used: indistinguishable), TOO_MANY_ATTEMPTS after repeated
    failures from one address, or INVALID on the password (the link then still works)."""
    now = clock.now()
    key = _attempts_key(address)
    since = now - timedelta(minutes=policy.window_minutes)
    if await LoginFailure.filter(key=key, at__gte=since).count() >= policy.failures_per_address:
        raise RateLimited(f"too many failed activations; try again in {policy.window_minutes} minutes", field="token")

    token = token.strip()
    user = None
    if token.startswith(ACTIVATION_PREFIX) and len(token) <= MAX_SECRET_LENGTH:
        user = await User.get_or_none(activation_token_hash=token_digest(token)).select_related("organization")
    if (user is None or user.activation_expires_at is None or user.activation_expires_at <= now
            or user.password_hash is not None or not user.is_active):
        await LoginFailure.create(key=key, at=now)
        raise _invalid_link()

    password_hash = hash_password(password)  # Argon2 is slow on purpose: outside the transaction
    async with in_transaction() as connection:
        updated = await User.filter(id=user.id, activation_token_hash=user.activation_token_hash).using_db(
            connection).update(password_hash=password_hash, activation_token_hash=None, activation_expires_at=None)
        if not updated:  # the same link was used a moment ago
            raise _invalid_link()
        actor = actor_for(user)
        await record_event(connection, at=now, actor=actor, action="user.activated", subject_type="User",
                           subject_id=user.id, supplier_id=actor.supplier_id,
                           data={"address": address[:64]})
    user.password_hash, user.activation_token_hash, user.activation_expires_at = password_hash, None, None
    return user
