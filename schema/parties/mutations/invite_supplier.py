"""`inviteSupplier`: a new supplier (APPLIED) with its admin user, and the admin's one-time activation link."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.parties.types import Organization, User
from workflows import suppliers
from workflows.activation import activation_link


@strawberry.input
class InviteSupplierInput:
    code: str = strawberry.field(description="Short code, e.g. SUP-E (capitals, digits, '-', '_').")
    name_zh: str
    credit_code: str = strawberry.field(description="统一社会信用代码: 18 characters, check character included.")
    admin_email: str = strawberry.field(description="The person who will administer the supplier's users.")
    admin_name: str
    name_en: str = ""
    categories: list[str] = strawberry.field(default_factory=list,
                                             description="Purchasing categories served, e.g. FASTENERS.")
    contact_email: str = strawberry.field(default="", description="Empty: the admin's e-mail.")
    address: str = ""


@strawberry.type
class InviteSupplierPayload:
    supplier: Organization | None = None
    admin: User | None = None
    activation_link: str | None = strawberry.field(default=None, description=(
        "Shown once: the portal keeps only its hash. Null when the answer replays an earlier request with the same "
        "idempotency key; `reissueActivationLink` then makes a new one."))
    activation_expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


def public_url(info: Info) -> str:
    """The portal's public address (PORTAL_PUBLIC_URL), for links sent to people."""
    return info.context.public_url


def invited_payload(info: Info, invited: suppliers.InvitedSupplier | None,
                    errors: list[UserError]) -> InviteSupplierPayload:
    if invited is None:
        return InviteSupplierPayload(errors=errors)
    return InviteSupplierPayload(
        supplier=Organization.from_row(invited.organization), admin=User.from_row(invited.admin),
        activation_link=activation_link(public_url(info), invited.activation_secret)
        if invited.activation_secret else None,
        activation_expires_at=invited.activation_expires_at)


async def invite_supplier(info: Info, input: InviteSupplierInput,
                          idempotency_key: str | None = None) -> InviteSupplierPayload:
    context = info.context
    invitation = suppliers.SupplierInvitation(
        code=input.code, name_zh=input.name_zh, name_en=input.name_en, credit_code=input.credit_code,
        categories=tuple(input.categories), admin_email=input.admin_email, admin_name=input.admin_name,
        contact_email=input.contact_email, address=input.address)
    invited, errors = await attempt(suppliers.invite_supplier(
        context.require_actor(), invitation, clock=context.clock, idempotency_key=idempotency_key))
    return invited_payload(info, invited, errors)
