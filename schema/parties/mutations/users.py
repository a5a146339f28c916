"""`inviteUser`, `sendActivationLink` and `deactivateUser`: an organisation's admin manages its people (see
workflows/users.py); `changePassword`: anyone changes their own password."""

from __future__ import annotations

from datetime import datetime

import strawberry

from schema.context import Info
from schema.enums import Role
from schema.errors import UserError, attempt
from schema.filters import optional_id, require_id
from schema.parties.mutations.invite_supplier import public_url
from schema.parties.types import User
from workflows import identity, users
from workflows.activation import activation_link


@strawberry.input
class InviteUserInput:
    email: str
    display_name: str
    roles: list[Role] = strawberry.field(description=(
        "For the buyer's staff: PROCUREMENT, ACCOUNTING, ADMIN, AUDITOR; for a supplier: SUPPLIER_ADMIN, "
        "SUPPLIER_USER."))
    manager_id: strawberry.ID | None = strawberry.field(default=None, description=(
        "A user of the same organisation: who the deadlines of this person escalate to."))


@strawberry.type
class InviteUserPayload:
    user: User | None = None
    activation_link: str | None = strawberry.field(default=None, description=(
        "Shown once: the portal keeps only its hash. Null when the answer replays an earlier request with the same "
        "idempotency key."))
    activation_expires_at: datetime | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeactivateUserPayload:
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ChangePasswordPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


def _invited_payload(info: Info, invited: users.InvitedUser | None, errors: list[UserError]) -> InviteUserPayload:
    if invited is None:
        return InviteUserPayload(errors=errors)
    return InviteUserPayload(
        user=User.from_row(invited.user),
        activation_link=activation_link(public_url(info), invited.activation_secret)
        if invited.activation_secret else None,
        activation_expires_at=invited.activation_expires_at)


async def invite_user(info: Info, input: InviteUserInput, idempotency_key: str | None = None) -> InviteUserPayload:
    context = info.context
    invitation = users.UserInvitation(email=input.email, display_name=input.display_name, roles=tuple(input.roles),
                                      manager_id=optional_id(input.manager_id, "managerId"))
    invited, errors = await attempt(users.invite_user(context.require_actor(), invitation, clock=context.clock,
                                                      idempotency_key=idempotency_key))
    return _invited_payload(info, invited, errors)


async def send_activation_link(info: Info, id: strawberry.ID) -> InviteUserPayload:
    context = info.context
    invited, errors = await attempt(users.send_activation_link(context.require_actor(), require_id(id),
                                                               clock=context.clock))
    return _invited_payload(info, invited, errors)


async def change_password(info: Info, current_password: str, new_password: str) -> ChangePasswordPayload:
    context = info.context
    _, errors = await attempt(identity.change_password(
        context.require_actor(), current_password, new_password, session_secret=context.token_secret,
        clock=context.clock, policy=context.login_policy))
    return ChangePasswordPayload(ok=not errors, errors=errors)


async def deactivate_user(info: Info, id: strawberry.ID) -> DeactivateUserPayload:
    context = info.context
    user, errors = await attempt(users.deactivate_user(context.require_actor(), require_id(id), clock=context.clock))
    return DeactivateUserPayload(user=User.from_row(user) if user else None, errors=errors)
