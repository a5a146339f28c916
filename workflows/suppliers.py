"""Suppliers: invitation (the organisation, its admin user and a one-time activation link), then qualification,
suspension and rejection through the SUPPLIER transition table.

Only a QUALIFIED supplier may bid or be awarded: tendering calls `require_qualified`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.credit_codes import CreditCodeError, normalise_credit_code
from domain.enums import OrgKind, QualificationStatus, Role
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import Organization, User
from workflows import transitions, visibility
from workflows.activation import ActivationSecret, issue_activation
from workflows.audit import record_event
from workflows.documents import keyring
from workflows.documents.pki import MasterKey
from workflows.idempotency import create_once
from workflows.identity import MAX_EMAIL_LENGTH, normalise_email
from workflows.inputs import text
from workflows.transitions import SUPPLIER

INVITE_OPERATION = "inviteSupplier"
MAX_CATEGORIES = 20
MAX_CATEGORY_LENGTH = 64
MAX_REASON_LENGTH = 500  # Organization.suspension_reason
CODE_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
# Who manages suppliers (invites them, sends new activation links): whoever may qualify them.
SUPPLIER_MANAGERS = SUPPLIER["qualify"].roles


def require_qualified(organization: Organization, *, field: str = "supplierId") -> None:
    """Refuse (SUPPLIER_NOT_QUALIFIED) unless `organization` is a QUALIFIED supplier: only those may bid or be
    awarded. `field` names the input that chose the supplier, for the error."""
    if organization.kind != OrgKind.SUPPLIER or organization.qualification_status != QualificationStatus.QUALIFIED:
        status = str(organization.qualification_status or "not a supplier").lower()
        raise IllegalTransition(f"supplier {organization.code} is {status}: only a qualified supplier may bid or be "
                                "awarded", field=field, code="SUPPLIER_NOT_QUALIFIED")


# -- input -------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SupplierInvitation:
    """Who to invite: the organisation, and the person who will administer its users."""

    code: str
    name_zh: str
    name_en: str
    credit_code: str
    categories: Sequence[str]
    admin_email: str
    admin_name: str
    contact_email: str = ""  # empty: the admin's e-mail
    address: str = ""


def validated_email(value: str, field: str) -> str:
    """The address normalised (lower case, stripped), or INVALID naming `field`."""
    email = normalise_email(value)
    if len(email) > MAX_EMAIL_LENGTH or not EMAIL_PATTERN.fullmatch(email):
        raise ValidationFailed(f"{email!r} is not an e-mail address", field=field)
    return email


def validated_code(value: str, *, example: str) -> str:
    """An organisation's code in capitals, or INVALID on `code`."""
    code = value.strip().upper()
    if not CODE_PATTERN.fullmatch(code):
        raise ValidationFailed(f"an organisation code has 2 to 32 capitals, digits, '-' or '_', e.g. {example}",
                               field="code")
    return code


def validated_credit_code(value: str) -> str:
    """A unified social credit code (统一社会信用代码), checked and normalised, or INVALID_CREDIT_CODE."""
    try:
        return normalise_credit_code(value)
    except CreditCodeError as error:
        raise ValidationFailed(str(error), field="creditCode", code="INVALID_CREDIT_CODE") from None


def validated_invitation(invitation: SupplierInvitation) -> SupplierInvitation:
    """The invitation normalised (codes in capitals, e-mails in lower case, text stripped), or the first problem."""
    code = validated_code(invitation.code, example="SUP-E")
    credit_code = validated_credit_code(invitation.credit_code)
    if len(invitation.categories) > MAX_CATEGORIES:
        raise ValidationFailed(f"at most {MAX_CATEGORIES} categories", field="categories")
    categories: list[str] = []
    for index, category in enumerate(invitation.categories):
        category = text(category, f"categories[{index}]", MAX_CATEGORY_LENGTH, required=True)
        if category not in categories:
            categories.append(category)
    admin_email = validated_email(invitation.admin_email, "adminEmail")
    return SupplierInvitation(
        code=code,
        name_zh=text(invitation.name_zh, "nameZh", 200, required=True),
        name_en=text(invitation.name_en, "nameEn", 200),
        credit_code=credit_code,
        categories=tuple(categories),
        admin_email=admin_email,
        admin_name=text(invitation.admin_name, "adminName", 120, required=True),
        contact_email=validated_email(invitation.contact_email, "contactEmail") if invitation.contact_email.strip()
        else admin_email,
        address=text(invitation.address, "address", 300),
    )


# -- invitation --------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InvitedSupplier:
    """The invited supplier and its admin. `activation_secret` is set only by the request that created them: the
    portal keeps its hash alone, so a replayed request (same idempotency key) cannot show it again."""

    organization: Organization
    admin: User
    activation_secret: str | None
    activation_expires_at: datetime | None
    created: bool


def _require_role(actor: Actor, roles: frozenset[Role], doing: str) -> None:
    if not (actor.is_staff and actor.has_any(roles)):
        allowed = ", ".join(sorted(role.value for role in roles))
        raise PermissionDenied(f"to {doing} takes the role {allowed}")


async def refuse_duplicates(code: str, credit_code: str, admin_email: str,
                            connection: BaseDBAsyncClient | None = None) -> None:
    """Refuse a new organisation whose code or credit code another has (DUPLICATE_CODE, DUPLICATE_CREDIT_CODE), or
    whose admin's e-mail already has an account (DUPLICATE_EMAIL)."""
    if await Organization.filter(code=code).using_db(connection).exists():
        raise ValidationFailed(f"the code {code} is already taken", field="code", code="DUPLICATE_CODE")
    if await Organization.filter(credit_code=credit_code).using_db(connection).exists():
        raise ValidationFailed(f"an organisation with the credit code {credit_code} already exists",
                               field="creditCode", code="DUPLICATE_CREDIT_CODE")
    if await User.filter(email=admin_email).using_db(connection).exists():
        raise ValidationFailed(f"{admin_email} already has an account", field="adminEmail", code="DUPLICATE_EMAIL")


async def _refuse_duplicates(invitation: SupplierInvitation, connection: BaseDBAsyncClient | None = None) -> None:
    await refuse_duplicates(invitation.code, invitation.credit_code, invitation.admin_email, connection)


async def invite_supplier(actor: Actor, invitation: SupplierInvitation, *, clock: Clock,
                          idempotency_key: str | None = None) -> InvitedSupplier:
    """Create a supplier (APPLIED) and its SUPPLIER_ADMIN user without a password, with a one-time activation secret.

    Refuses PERMISSION_DENIED (only procurement and admins invite), INVALID / INVALID_CREDIT_CODE on the input, and
    DUPLICATE_CODE, DUPLICATE_CREDIT_CODE or DUPLICATE_EMAIL when the organisation or the person already exists.
    Hook for the invitation e-mail (issue #5): the audit event `supplier.invited` carries no secret; a mailer reacting
    to it mints the link it sends with `workflows.activation.issue_activation` (which replaces the one shown here)."""
    _require_role(actor, SUPPLIER_MANAGERS, "invite a supplier")
    invitation = validated_invitation(invitation)
    now = clock.now()
    issued: list[ActivationSecret] = []  # the secret is stored nowhere: `create` hands it out through this

    async def create(connection: BaseDBAsyncClient) -> Organization:
        await _refuse_duplicates(invitation, connection)
        # A new supplier starts as APPLIED: the column has no default because the buyer's row has no status.
        organization = await Organization.create(
            kind=OrgKind.SUPPLIER, qualification_status=QualificationStatus.APPLIED, code=invitation.code,
            name_zh=invitation.name_zh, name_en=invitation.name_en, credit_code=invitation.credit_code,
            categories=list(invitation.categories), contact_email=invitation.contact_email,
            address=invitation.address, created_at=now, using_db=connection)
        admin = await User.create(
            email=invitation.admin_email, display_name=invitation.admin_name, organization=organization,
            roles=[Role.SUPPLIER_ADMIN.value], password_hash=None, created_at=now, using_db=connection)
        activation = await issue_activation(connection, admin.id, now)
        await record_event(connection, at=now, actor=actor, action="supplier.invited", subject_type="Organization",
                           subject_id=organization.id, supplier_id=organization.id, data={
                               "code": organization.code, "admin_user_id": str(admin.id),
                               "admin_email": admin.email, "activation_expires_at": activation.expires_at.isoformat(),
                           })
        issued.append(activation)
        return organization

    request = {"code": invitation.code, "name_zh": invitation.name_zh, "name_en": invitation.name_en,
               "credit_code": invitation.credit_code, "categories": list(invitation.categories),
               "admin_email": invitation.admin_email, "admin_name": invitation.admin_name,
               "contact_email": invitation.contact_email, "address": invitation.address}
    try:
        organization, created = await create_once(actor, INVITE_OPERATION, idempotency_key, request, create,
                                                  lambda organization_id: Organization.get(id=organization_id))
    except IntegrityError:
        # A concurrent invitation took the code, credit code or e-mail between our check and our insert.
        await _refuse_duplicates(invitation)
        raise Conflict("another invitation with the same details was saved at the same moment", field="code") from None
    admin = await User.filter(organization_id=organization.id, email=invitation.admin_email).first()
    if admin is None:  # the e-mail was changed since the invitation this request replays
        admin = await User.filter(organization_id=organization.id).order_by("created_at").first()
    activation = issued[0] if created else None
    return InvitedSupplier(organization, admin, activation.secret if activation else None,
                           activation.expires_at if activation else admin.activation_expires_at, created)


async def reissue_activation(actor: Actor, supplier_id: uuid.UUID, *, clock: Clock) -> InvitedSupplier:
    """A new activation secret for the supplier's admin who has not activated yet (the earlier link stops working):
    for an expired link, or an invitation whose answer was lost. ALREADY_ACTIVATED when there is nobody to activate."""
    _require_role(actor, SUPPLIER_MANAGERS, "send a new activation link")
    organization = await _visible_supplier(actor, supplier_id)
    if organization.qualification_status == QualificationStatus.REJECTED:
        raise IllegalTransition(f"supplier {organization.code} was rejected", field="id")
    admin = await _pending_admin(organization)
    if admin is None:
        raise IllegalTransition(f"the admin of {organization.code} has already activated their account",
                                field="id", code="ALREADY_ACTIVATED")
    now = clock.now()
    async with in_transaction() as connection:
        activation = await issue_activation(connection, admin.id, now)
        await record_event(connection, at=now, actor=actor, action="supplier.activation_reissued",
                           subject_type="Organization", subject_id=organization.id, supplier_id=organization.id,
                           data={"admin_user_id": str(admin.id), "admin_email": admin.email,
                                 "activation_expires_at": activation.expires_at.isoformat()})
    return InvitedSupplier(organization, admin, activation.secret, activation.expires_at, created=False)


async def _pending_admin(organization: Organization) -> User | None:
    """The supplier's first admin still without a password (roles are a short JSON list: matched here, portably)."""
    for user in await User.filter(organization_id=organization.id, password_hash__isnull=True,
                                  is_active=True).order_by("created_at"):
        if Role.SUPPLIER_ADMIN.value in (user.roles or []):
            return user
    return None


# -- qualification -----------------------------------------------------------------------------------------------------

async def _visible_supplier(actor: Actor, supplier_id: uuid.UUID, field: str = "id") -> Organization:
    organization = await visibility.get_visible(visibility.suppliers(actor), supplier_id)
    if organization is None:
        raise NotFound("no such supplier", field=field)
    return organization


async def _prepared(actor: Actor, supplier_id: uuid.UUID, transition: str) -> Organization:
    """The supplier, once the actor's role (first: it reveals nothing), its visibility and its status allow
    `transition`."""
    _require_role(actor, SUPPLIER[transition].roles, f"{transition} a supplier")
    organization = await _visible_supplier(actor, supplier_id)
    transitions.check(SUPPLIER, organization, transition, actor)
    return organization


async def qualify_supplier(actor: Actor, supplier_id: uuid.UUID, *, note: str = "", clock: Clock,
                           master: MasterKey) -> Organization:
    """APPLIED or SUSPENDED -> QUALIFIED. The supplier gets its signing certificate first (once: a re-qualified
    supplier keeps its key), so that from now on it can countersign; a suspension reason is cleared."""
    organization = await _prepared(actor, supplier_id, "qualify")
    note = text(note, "note", MAX_REASON_LENGTH)
    now = clock.now()
    async with in_transaction() as connection:
        # The supplier's row is locked while its key is issued: of two qualifications at once, the second waits
        # here and is then refused, so a supplier never gets two keys. If the key cannot be issued, nothing changes.
        organization = await Organization.filter(id=organization.id).using_db(connection).select_for_update().get()
        transitions.check(SUPPLIER, organization, "qualify", actor)
        await keyring.ensure_organization_key(organization, master, now, actor)
        await transitions.apply(connection, SUPPLIER, organization, "qualify", actor=actor, at=now,
                                changes={"suspension_reason": ""}, data={"note": note} if note else None,
                                supplier_id=organization.id)
    return organization


async def suspend_supplier(actor: Actor, supplier_id: uuid.UUID, *, reason: str, clock: Clock) -> Organization:
    """QUALIFIED -> SUSPENDED, with a reason (1 to 500 characters). A suspended supplier cannot bid or be awarded;
    its running contracts and orders are not touched."""
    organization = await _prepared(actor, supplier_id, "suspend")
    reason = text(reason, "reason", MAX_REASON_LENGTH, required=True)
    now = clock.now()
    async with in_transaction() as connection:
        await transitions.apply(connection, SUPPLIER, organization, "suspend", actor=actor, at=now,
                                changes={"suspension_reason": reason}, data={"reason": reason},
                                supplier_id=organization.id)
    return organization


async def reject_supplier(actor: Actor, supplier_id: uuid.UUID, *, reason: str, clock: Clock) -> Organization:
    """APPLIED -> REJECTED, with a reason (kept in the audit event). Its users are deactivated and pending
    activation links stop working: a rejected applicant has no business in the portal."""
    organization = await _prepared(actor, supplier_id, "reject")
    reason = text(reason, "reason", MAX_REASON_LENGTH, required=True)
    now = clock.now()
    async with in_transaction() as connection:
        await transitions.apply(connection, SUPPLIER, organization, "reject", actor=actor, at=now,
                                data={"reason": reason}, supplier_id=organization.id)
        await User.filter(organization_id=organization.id).using_db(connection).update(
            is_active=False, activation_token_hash=None, activation_expires_at=None)
    return organization
