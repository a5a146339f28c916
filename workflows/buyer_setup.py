"""Setting up an installation: the buyer organisation, whose record is every document's letterhead, and its first admin.

`portal setup` runs this once on a new database (before `portal keys init`, which signs in the buyer's name). Running it
again changes the letterhead (names, credit code, address, contact e-mail) and leaves the users alone. The admin gets
no password: a one-time activation link, as an invited supplier's admin does (`workflows.activation`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.clock import Clock
from domain.enums import OrgKind, Role
from domain.errors import Conflict, IllegalTransition, ValidationFailed
from domain.models import Organization, User
from workflows.activation import issue_activation
from workflows.audit import record_event
from workflows.inputs import text
from workflows.suppliers import refuse_duplicates, validated_code, validated_credit_code, validated_email

LETTERHEAD_FIELDS = ("name_zh", "name_en", "credit_code", "address", "contact_email")


@dataclass(frozen=True)
class BuyerSetup:
    """The buyer organisation as its documents print it, and the person who will administer the portal."""

    code: str
    name_zh: str
    name_en: str
    credit_code: str
    admin_email: str = ""  # needed to create the buyer; not used to update its letterhead
    admin_name: str = ""
    contact_email: str = ""  # empty: the admin's e-mail (on an update: unchanged)
    address: str = ""


@dataclass(frozen=True)
class SetUpBuyer:
    """The buyer after `set_up_buyer`: created (with its admin and the admin's activation secret, shown once) or its
    letterhead updated (`changed` lists the fields that changed)."""

    organization: Organization
    created: bool
    admin: User | None = None
    activation_secret: str | None = None
    activation_expires_at: datetime | None = None
    changed: tuple[str, ...] = ()


def _validated(setup: BuyerSetup) -> BuyerSetup:
    """The setup normalised under the rules an invited supplier's details follow, or the first problem. The admin's
    details may be empty (an update of the letterhead); `set_up_buyer` requires them to create the buyer."""
    admin_email = validated_email(setup.admin_email, "adminEmail") if setup.admin_email.strip() else ""
    contact = setup.contact_email.strip()
    return BuyerSetup(
        code=validated_code(setup.code, example="BUYER"),
        name_zh=text(setup.name_zh, "nameZh", 200, required=True),
        name_en=text(setup.name_en, "nameEn", 200),
        credit_code=validated_credit_code(setup.credit_code),
        admin_email=admin_email,
        admin_name=text(setup.admin_name, "adminName", 120),
        contact_email=validated_email(contact, "contactEmail") if contact else admin_email,
        address=text(setup.address, "address", 300),
    )


async def set_up_buyer(setup: BuyerSetup, *, clock: Clock) -> SetUpBuyer:
    """Create the buyer organisation and its first ADMIN (no password, a one-time activation secret), or, when the
    buyer exists, update its letterhead; one transaction with its audit event either way.

    Refuses INVALID / INVALID_CREDIT_CODE on the input (naming the field), ILLEGAL_TRANSITION when the buyer exists
    under another code, and DUPLICATE_CODE, DUPLICATE_CREDIT_CODE or DUPLICATE_EMAIL when a supplier has the code or
    the credit code, or a user the e-mail (`suppliers.refuse_duplicates`, as for an invitation).
    """
    setup = _validated(setup)
    now = clock.now()
    try:
        async with in_transaction() as connection:
            buyer = await Organization.filter(kind=OrgKind.BUYER).using_db(connection).select_for_update().first()
            if buyer is not None:
                return await _update_letterhead(connection, buyer, setup, now)
            if not setup.admin_email:
                raise ValidationFailed("the portal's first admin needs an e-mail address", field="adminEmail")
            if not setup.admin_name:
                raise ValidationFailed("the portal's first admin needs a name", field="adminName")
            await refuse_duplicates(setup.code, setup.credit_code, setup.admin_email, connection)
            buyer = await Organization.create(
                kind=OrgKind.BUYER, code=setup.code, name_zh=setup.name_zh, name_en=setup.name_en,
                credit_code=setup.credit_code, address=setup.address, contact_email=setup.contact_email,
                created_at=now, using_db=connection)
            admin = await User.create(
                email=setup.admin_email, display_name=setup.admin_name, organization=buyer, roles=[Role.ADMIN.value],
                password_hash=None, created_at=now, using_db=connection)
            activation = await issue_activation(connection, admin.id, now)
            await record_event(connection, at=now, actor=None, action="buyer.set_up", subject_type="Organization",
                               subject_id=buyer.id, data={
                                   "code": buyer.code, "admin_user_id": str(admin.id), "admin_email": admin.email,
                                   "activation_expires_at": activation.expires_at.isoformat()})
    except IntegrityError:
        raise Conflict("another setup ran at the same moment; run it again", field="code") from None
    return SetUpBuyer(buyer, created=True, admin=admin, activation_secret=activation.secret,
                      activation_expires_at=activation.expires_at)


async def _update_letterhead(connection, buyer: Organization, setup: BuyerSetup,  # noqa: ANN001 - a connection
                             now: datetime) -> SetUpBuyer:
    if buyer.code != setup.code:
        raise IllegalTransition(f"this portal's buyer is {buyer.code}; its code does not change", field="code")
    if not setup.contact_email:  # no admin e-mail given to default to: the contact stays what it was
        setup = replace(setup, contact_email=buyer.contact_email)
    changed = tuple(name for name in LETTERHEAD_FIELDS if getattr(buyer, name) != getattr(setup, name))
    if changed:
        before = {name: getattr(buyer, name) for name in changed}
        for name in changed:
            setattr(buyer, name, getattr(setup, name))
        await buyer.save(using_db=connection, update_fields=[*changed, "updated_at"])
        await record_event(connection, at=now, actor=None, action="buyer.letterhead_changed",
                           subject_type="Organization", subject_id=buyer.id,
                           data={"before": before, "after": {name: getattr(setup, name) for name in changed}})
    return SetUpBuyer(buyer, created=False, changed=changed)
