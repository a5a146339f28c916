"""The portal's keys in the database: the root, the buyer's signing key and one per supplier.

Certificates are public and stored as PEM; private keys are stored sealed under the master key (see `pki`). Each
organisation has at most one ACTIVE signing key: rotating retires the old one (documents it signed still verify),
revoking records when and why (a signature made with it after that moment fails verification).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography import x509
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.enums import KeyKind, KeyStatus, OrgKind
from domain.errors import IllegalTransition, NotFound, ValidationFailed
from domain.models import Organization, SigningKey
from workflows.audit import PendingEvent, record_events
from workflows.documents.pki import (
    KeyPair,
    MasterKey,
    create_root_ca,
    issue_signing_certificate,
    open_private_key,
    seal_private_key,
)
from workflows.documents.signing import SigningIdentity

ROOT_COMMON_NAME = "Supplier Portal Root CA"
MAX_REASON = 200


@dataclass(frozen=True)
class KeyInitialisation:
    root: SigningKey
    buyer: SigningKey
    created: bool


def _certificate(key: SigningKey) -> x509.Certificate:
    return x509.load_pem_x509_certificate(key.certificate_pem.encode("ascii"))


def _row(pair: KeyPair, master: MasterKey, kind: KeyKind, organization: Organization | None) -> SigningKey:
    certificate = pair.certificate
    return SigningKey(
        organization=organization, kind=kind, status=KeyStatus.ACTIVE,
        subject=certificate.subject.rfc4514_string()[:300], serial=pair.serial_hex, fingerprint=pair.fingerprint,
        certificate_pem=pair.certificate_pem,
        encrypted_private_key=seal_private_key(pair.private_key, master, label=pair.fingerprint.encode("ascii")),
        not_before=certificate.not_valid_before_utc, not_after=certificate.not_valid_after_utc,
    )


def _pair(key: SigningKey, master: MasterKey) -> KeyPair:
    private = open_private_key(bytes(key.encrypted_private_key), master, label=key.fingerprint.encode("ascii"))
    return KeyPair(_certificate(key), private)


async def active_root() -> SigningKey | None:
    return await SigningKey.filter(kind=KeyKind.ROOT, status=KeyStatus.ACTIVE).order_by("-created_at").first()


async def init_keys(master: MasterKey, now: datetime) -> KeyInitialisation:
    """Create the root certificate authority and the buyer's signing key, once. Running it again changes nothing."""
    buyer_org = await Organization.filter(kind=OrgKind.BUYER).first()
    if buyer_org is None:
        raise NotFound("there is no buyer organisation yet: create it (or run the demo) before the keys")
    async with in_transaction() as connection:
        root = await SigningKey.filter(kind=KeyKind.ROOT, status=KeyStatus.ACTIVE).using_db(connection).first()
        buyer = await SigningKey.filter(organization=buyer_org, kind=KeyKind.SIGNING,
                                        status=KeyStatus.ACTIVE).using_db(connection).first()
        if root is not None and buyer is not None:
            _pair(root, master)  # proves the configured master key is the one these keys were sealed with
            return KeyInitialisation(root, buyer, created=False)
        if root is None:
            pair = create_root_ca(ROOT_COMMON_NAME, buyer_org.name_en or buyer_org.name_zh, now)
            root = _row(pair, master, KeyKind.ROOT, None)
            await root.save(using_db=connection)
        if buyer is None:
            buyer = await _issue(buyer_org, root, master, now, connection)
        await record_events(connection, [PendingEvent(now, None, "keys.initialised", "SigningKey", root.id,
                                                      data={"root": root.fingerprint, "buyer": buyer.fingerprint})])
    return KeyInitialisation(root, buyer, created=True)


async def _issue(organization: Organization, root: SigningKey, master: MasterKey, now: datetime,
                 connection) -> SigningKey:  # noqa: ANN001 - a Tortoise transaction client
    pair = issue_signing_certificate(
        _pair(root, master), organization_name=organization.name_zh or organization.name_en,
        organization_code=organization.code, email=organization.contact_email or None, now=now,
    )
    key = _row(pair, master, KeyKind.SIGNING, organization)
    await key.save(using_db=connection)
    return key


async def ensure_organization_key(organization: Organization, master: MasterKey, now: datetime,
                                  actor: Actor | None = None) -> SigningKey:
    """The organisation's active signing key, issued now if it has none (a supplier's at onboarding)."""
    existing = await SigningKey.filter(organization=organization, kind=KeyKind.SIGNING, status=KeyStatus.ACTIVE).first()
    if existing is not None:
        return existing
    return await _issue_locked(organization, master, now, actor, only_if_none=True)


async def rotate_organization_key(organization: Organization, master: MasterKey, now: datetime,
                                  actor: Actor | None = None) -> SigningKey:
    """Issue a new signing key for the organisation and retire its active one: new documents use the new key, and
    documents signed with the old one still verify."""
    return await _issue_locked(organization, master, now, actor, only_if_none=False)


async def _issue_locked(organization: Organization, master: MasterKey, now: datetime, actor: Actor | None, *,
                        only_if_none: bool) -> SigningKey:
    """Issue a key under the organisation's row lock, so two concurrent calls never leave two ACTIVE keys."""
    root = await active_root()
    if root is None:
        raise NotFound("the portal has no root certificate yet: run `portal keys init` first")
    async with in_transaction() as connection:
        await Organization.filter(id=organization.id).using_db(connection).select_for_update().first()
        active = SigningKey.filter(organization=organization, kind=KeyKind.SIGNING, status=KeyStatus.ACTIVE)
        if only_if_none and (existing := await active.using_db(connection).first()) is not None:
            return existing  # issued by a concurrent call while this one waited for the lock
        retired = await active.using_db(connection).update(status=KeyStatus.RETIRED)
        key = await _issue(organization, root, master, now, connection)
        await record_events(connection, [PendingEvent(
            now, actor, "keys.rotated" if retired else "keys.issued", "SigningKey", key.id,
            supplier_id=organization.id if organization.kind is OrgKind.SUPPLIER else None,
            data={"organization": organization.code, "fingerprint": key.fingerprint},
        )])
    return key


async def revoke_organization_key(organization: Organization, reason: str, now: datetime,
                                  actor: Actor | None = None) -> SigningKey:
    """Revoke the organisation's active signing key from `now`: signatures it makes afterwards fail verification,
    those made before keep verifying. The organisation needs a new key (rotate) before it signs again."""
    reason = reason.strip()
    if not reason or len(reason) > MAX_REASON:
        raise ValidationFailed(f"a revocation needs a reason of 1 to {MAX_REASON} characters", field="reason")
    async with in_transaction() as connection:
        key = await SigningKey.filter(organization=organization, kind=KeyKind.SIGNING,
                                      status=KeyStatus.ACTIVE).using_db(connection).select_for_update().first()
        if key is None:
            raise IllegalTransition(f"{organization.code} has no active signing key to revoke", field="organization")
        key.status, key.revoked_at, key.revocation_reason = KeyStatus.REVOKED, now, reason
        await key.save(using_db=connection, update_fields=["status", "revoked_at", "revocation_reason"])
        await record_events(connection, [PendingEvent(
            now, actor, "keys.revoked", "SigningKey", key.id,
            supplier_id=organization.id if organization.kind is OrgKind.SUPPLIER else None,
            data={"organization": organization.code, "fingerprint": key.fingerprint, "reason": reason},
        )])
    return key


async def signing_identity(organization_id, master: MasterKey) -> tuple[SigningIdentity, SigningKey]:  # noqa: ANN001
    """The organisation's active key, opened with the master key, ready to sign."""
    key = await SigningKey.filter(organization_id=organization_id, kind=KeyKind.SIGNING,
                                  status=KeyStatus.ACTIVE).first()
    if key is None:
        raise IllegalTransition("the organisation has no active signing key (`portal keys rotate` issues one)",
                                field="organization")
    root = await SigningKey.get_or_none(kind=KeyKind.ROOT, status=KeyStatus.ACTIVE)
    if root is None:
        raise NotFound("the portal has no root certificate yet: run `portal keys init` first")
    return SigningIdentity.from_key_pair(_pair(key, master), _certificate(root)), key


async def trust_roots() -> list[x509.Certificate]:
    """Every root the portal has had: documents signed under an older root still verify."""
    return [_certificate(key) for key in await SigningKey.filter(kind=KeyKind.ROOT).order_by("created_at")]


async def revocations() -> dict[str, datetime]:
    return {key.fingerprint: key.revoked_at
            for key in await SigningKey.filter(status=KeyStatus.REVOKED, revoked_at__not_isnull=True)}


async def export_ca() -> str:
    """The PEM of every root certificate, newest last, for others to trust."""
    roots = await SigningKey.filter(kind=KeyKind.ROOT).order_by("created_at")
    if not roots:
        raise NotFound("the portal has no root certificate yet: run `portal keys init` first")
    return "".join(key.certificate_pem for key in roots)
