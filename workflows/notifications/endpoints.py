"""Webhook endpoints: where an organisation's integrations receive the portal's events, signed with a shared secret.

An organisation's own admins manage its endpoints (a supplier's SUPPLIER_ADMIN, the buyer's ADMIN); the buyer's
auditors may read them. The secret is shown once, when the endpoint is created or its secret rotated; the portal keeps
it sealed under the master key (AES-256-GCM, like the signing keys in `workflows.documents.pki`), so a copy of the
database alone cannot forge a webhook. Without a master key, endpoints cannot be created: `WEBHOOKS_UNAVAILABLE`.

An endpoint that keeps failing is disabled by the delivery (`workflows.notifications.webhooks`); `enable_endpoint`
turns it back on once the receiver is fixed.
"""

from __future__ import annotations

import ipaddress
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import Role
from domain.errors import DomainError, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.ids import new_id
from domain.models import WebhookEndpoint
from workflows import visibility
from workflows.audit import record_event
from workflows.documents.pki import MasterKey, MasterKeyError
from workflows.notifications.messages import known_kinds

MANAGER_ROLES = frozenset({Role.ADMIN, Role.SUPPLIER_ADMIN})
MAX_URL = 500  # the column's length
MAX_ENDPOINTS_PER_ORGANIZATION = 10
SECRET_PREFIX = "whsec_"
UNAVAILABLE = "WEBHOOKS_UNAVAILABLE"

_SEAL_VERSION = b"\x01"
_NONCE_BYTES = 12


@dataclass(frozen=True)
class IssuedEndpoint:
    """An endpoint and its signing secret, in the clear this once."""

    endpoint: WebhookEndpoint
    secret: str


def _associated_data(endpoint_id: uuid.UUID) -> bytes:
    # Bound to the endpoint: a sealed secret copied onto another endpoint's row does not open there.
    return b"portal-webhook-secret" + _SEAL_VERSION + endpoint_id.bytes


def seal_secret(secret: str, master: MasterKey, endpoint_id: uuid.UUID) -> bytes:
    """Encrypt an endpoint's secret under the master key: version byte, random nonce, AES-256-GCM ciphertext."""
    nonce = secrets.token_bytes(_NONCE_BYTES)
    return _SEAL_VERSION + nonce + AESGCM(master.secret).encrypt(nonce, secret.encode("utf-8"),
                                                                 _associated_data(endpoint_id))


def open_secret(blob: bytes, master: MasterKey, endpoint_id: uuid.UUID) -> str:
    """Decrypt a secret sealed by `seal_secret`; MasterKeyError if the master key, the endpoint or the blob differ."""
    blob = bytes(blob)
    if len(blob) <= 1 + _NONCE_BYTES or blob[:1] != _SEAL_VERSION:
        raise MasterKeyError("the webhook secret is malformed or of an unknown version")
    try:
        plaintext = AESGCM(master.secret).decrypt(blob[1:1 + _NONCE_BYTES], blob[1 + _NONCE_BYTES:],
                                                  _associated_data(endpoint_id))
    except InvalidTag:
        raise MasterKeyError("the master key does not open this webhook secret") from None
    return plaintext.decode("utf-8")


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def _require_manager(actor: Actor, doing: str) -> None:
    if not actor.has_any(MANAGER_ROLES):
        raise PermissionDenied(f"to {doing} takes the role ADMIN (the buyer's) or SUPPLIER_ADMIN (a supplier's)")


def _require_master(master: MasterKey | None) -> MasterKey:
    if master is None:
        raise DomainError("webhook secrets are kept under the master key, and this server has none: set "
                          "PORTAL_MASTER_KEY or PORTAL_MASTER_KEY_FILE", code=UNAVAILABLE)
    return master


def _is_local_host(host: str) -> bool:
    """Whether `host` names this machine or a private network (refused in production: a webhook must not become a
    way to probe the portal's own network). Names that resolve to such addresses are not caught here."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return not address.is_global


def validate_url(url: str, *, production: bool) -> str:
    """The endpoint URL, stripped: https (http too outside production), a host, no credentials, no fragment."""
    text = url.strip()
    if not text or len(text) > MAX_URL:
        raise ValidationFailed(f"a webhook URL has 1 to {MAX_URL} characters", field="url")
    if any(ord(c) <= 32 or ord(c) == 127 for c in text):
        raise ValidationFailed("a webhook URL contains no spaces or control characters", field="url")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        raise ValidationFailed("not a valid URL", field="url") from None
    allowed = ("https",) if production else ("https", "http")
    if parts.scheme.lower() not in allowed:
        raise ValidationFailed(f"a webhook URL must start with {' or '.join(s + '://' for s in allowed)}",
                               field="url")
    if not parts.hostname:
        raise ValidationFailed("a webhook URL names a host", field="url")
    if parts.username is not None or parts.password is not None:
        raise ValidationFailed("a webhook URL carries no credentials: requests are signed with the endpoint's secret",
                               field="url")
    if parts.fragment:
        raise ValidationFailed("a webhook URL has no #fragment", field="url")
    if production and _is_local_host(parts.hostname):
        raise ValidationFailed("a webhook URL must name a public host", field="url")
    return text


def validate_events(events: Iterable[str]) -> list[str]:
    """The event kinds, each known, without repeats, in order; none means every event."""
    known = set(known_kinds())
    chosen: list[str] = []
    for event in events:
        name = event.strip()
        if name not in known:
            raise ValidationFailed(f"unknown event {event!r}; the events are: {', '.join(sorted(known))}",
                                   field="events")
        if name not in chosen:
            chosen.append(name)
    return chosen


async def _managed(actor: Actor, endpoint_id: uuid.UUID, doing: str) -> WebhookEndpoint:
    _require_manager(actor, doing)
    endpoint = await visibility.get_visible(visibility.webhook_endpoints(actor), endpoint_id)
    if endpoint is None:
        raise NotFound("no such webhook endpoint", field="id")
    return endpoint


async def create_endpoint(actor: Actor, url: str, events: Iterable[str] = (), *, master: MasterKey | None,
                          clock: Clock, production: bool) -> IssuedEndpoint:
    """A new active endpoint of the actor's organisation, receiving `events` (none: all), and its secret."""
    _require_manager(actor, "manage webhook endpoints")
    master = _require_master(master)
    url = validate_url(url, production=production)
    chosen = validate_events(events)
    now = clock.now()
    endpoint_id = new_id()
    secret = new_secret()
    async with in_transaction() as connection:
        existing = await WebhookEndpoint.filter(organization_id=actor.org_id).using_db(connection).values_list(
            "url", flat=True)
        if len(existing) >= MAX_ENDPOINTS_PER_ORGANIZATION:
            raise ValidationFailed(f"an organisation has at most {MAX_ENDPOINTS_PER_ORGANIZATION} webhook endpoints",
                                   field="url", code="LIMIT_EXCEEDED")
        if url in existing:
            raise ValidationFailed("this organisation already has an endpoint with this URL", field="url",
                                   code="DUPLICATE")
        endpoint = await WebhookEndpoint.create(
            id=endpoint_id, organization_id=actor.org_id, url=url, events=chosen, created_at=now,
            encrypted_secret=seal_secret(secret, master, endpoint_id), using_db=connection)
        await record_event(connection, at=now, actor=actor, action="webhook_endpoint.create",
                           subject_type="WebhookEndpoint", subject_id=endpoint.id, supplier_id=actor.supplier_id,
                           data={"url": url, "events": chosen})
    return IssuedEndpoint(endpoint, secret)


async def rotate_secret(actor: Actor, endpoint_id: uuid.UUID, *, master: MasterKey | None,
                        clock: Clock) -> IssuedEndpoint:
    """A new secret for the endpoint; requests are signed with it from now on and the old one stops working."""
    endpoint = await _managed(actor, endpoint_id, "manage webhook endpoints")
    master = _require_master(master)
    now = clock.now()
    secret = new_secret()
    async with in_transaction() as connection:
        updated = await WebhookEndpoint.filter(id=endpoint.id).using_db(connection).update(
            encrypted_secret=seal_secret(secret, master, endpoint.id))
        if not updated:
            raise NotFound("no such webhook endpoint", field="id")
        await record_event(connection, at=now, actor=actor, action="webhook_endpoint.rotate_secret",
                           subject_type="WebhookEndpoint", subject_id=endpoint.id, supplier_id=actor.supplier_id,
                           data={"url": endpoint.url})
    return IssuedEndpoint(await WebhookEndpoint.get(id=endpoint.id), secret)


async def enable_endpoint(actor: Actor, endpoint_id: uuid.UUID, *, clock: Clock) -> WebhookEndpoint:
    """Turn a disabled endpoint back on, its failure count reset. Messages given up while it was off stay so."""
    endpoint = await _managed(actor, endpoint_id, "manage webhook endpoints")
    now = clock.now()
    async with in_transaction() as connection:
        updated = await WebhookEndpoint.filter(id=endpoint.id, is_active=False).using_db(connection).update(
            is_active=True, consecutive_failures=0, disabled_at=None)
        if not updated:
            raise IllegalTransition("the webhook endpoint is already enabled", field="id")
        await record_event(connection, at=now, actor=actor, action="webhook_endpoint.enable",
                           subject_type="WebhookEndpoint", subject_id=endpoint.id, supplier_id=actor.supplier_id,
                           data={"url": endpoint.url})
    return await WebhookEndpoint.get(id=endpoint.id)


async def delete_endpoint(actor: Actor, endpoint_id: uuid.UUID, *, clock: Clock) -> None:
    """Delete the endpoint, with its undelivered messages and its delivery log (the audit trail keeps the fact)."""
    endpoint = await _managed(actor, endpoint_id, "manage webhook endpoints")
    now = clock.now()
    async with in_transaction() as connection:
        deleted = await WebhookEndpoint.filter(id=endpoint.id).using_db(connection).delete()
        if not deleted:
            raise NotFound("no such webhook endpoint", field="id")
        await record_event(connection, at=now, actor=actor, action="webhook_endpoint.delete",
                           subject_type="WebhookEndpoint", subject_id=endpoint.id, supplier_id=actor.supplier_id,
                           data={"url": endpoint.url})
