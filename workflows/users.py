"""The people of an organisation: an admin invites them (a user without a password, and a one-time activation link),
sends them a new link (a lost invitation, or a password reset) and deactivates them. Everyone changes their own
password with `workflows.identity.change_password`.

Who may do what:
- the buyer's ADMIN invites and deactivates staff (PROCUREMENT, ACCOUNTING, ADMIN, AUDITOR), in the buyer's
  organisation only;
- a supplier's SUPPLIER_ADMIN invites and deactivates the users of their own supplier (SUPPLIER_ADMIN,
  SUPPLIER_USER), nobody else's;
- anyone else is refused before anything is looked up (PERMISSION_DENIED), and a user of another organisation is
  NOT_FOUND, as if it did not exist.

Nobody deactivates themselves: an organisation's last admin could otherwise lock everyone out. A deactivated user can
no longer log in, and their sessions and API tokens stop working at once (authentication checks `is_active`).
Every change is one transaction with its audit event, which never holds the activation secret.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import BUYER_ROLES, SUPPLIER_ROLES, USER_ADMIN_ROLES, OrgKind, Role
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import AuthToken, User
from workflows.activation import ActivationSecret, issue_activation
from workflows.audit import record_event
from workflows.idempotency import create_once
from workflows.identity import token_digest
from workflows.inputs import text
from workflows.suppliers import validated_email

INVITE_OPERATION = "inviteUser"
MAX_DISPLAY_NAME_LENGTH = 120  # User.display_name
# The roles a user admin (domain.enums.USER_ADMIN_ROLES) may give, by the kind of their organisation.
GRANTABLE_ROLES = {OrgKind.BUYER: BUYER_ROLES, OrgKind.SUPPLIER: SUPPLIER_ROLES}


@dataclass(frozen=True)
class UserInvitation:
    email: str
    display_name: str
    roles: tuple[Role, ...]
    manager_id: uuid.UUID | None = None  # who deadlines escalate to after this person


@dataclass(frozen=True)
class InvitedUser:
    user: User
    activation_secret: str | None  # None when the answer replays an earlier request with the same idempotency key
    activation_expires_at: datetime | None
    created: bool


def _require_user_admin(actor: Actor, doing: str) -> None:
    admin_role = USER_ADMIN_ROLES[actor.org_kind]
    if admin_role not in actor.roles:
        raise PermissionDenied(f"to {doing} takes the role {admin_role.value}")


def _require_admin_of_another(actor: Actor, user_id: uuid.UUID, doing: str, refusal_for_oneself: str) -> None:
    """The role check, then ILLEGAL_TRANSITION (`id`) when the user is the actor: both before anything is read."""
    _require_user_admin(actor, doing)
    if user_id == actor.user_id:
        raise IllegalTransition(refusal_for_oneself, field="id")


def validated_invitation(actor: Actor, invitation: UserInvitation) -> UserInvitation:
    """The invitation normalised, or INVALID naming the field: an e-mail address, a name, and at least one role that
    the actor's kind of organisation has."""
    email = validated_email(invitation.email, "email")
    name = text(invitation.display_name, "displayName", MAX_DISPLAY_NAME_LENGTH, required=True)
    if not invitation.roles:
        raise ValidationFailed("a user needs at least one role", field="roles")
    grantable = GRANTABLE_ROLES[actor.org_kind]
    if foreign := sorted(role.value for role in invitation.roles if role not in grantable):
        raise ValidationFailed(
            f"{', '.join(foreign)} cannot be given here: the roles of this organisation are "
            f"{', '.join(sorted(role.value for role in grantable))}", field="roles")
    roles = tuple(sorted(set(invitation.roles), key=lambda role: role.value))
    return UserInvitation(email=email, display_name=name, roles=roles, manager_id=invitation.manager_id)


async def _colleague(actor: Actor, user_id: uuid.UUID, field: str,
                     connection: BaseDBAsyncClient | None = None) -> User:
    """A user of the actor's own organisation; NOT_FOUND for anyone else's (whose existence is not revealed)."""
    user = await User.filter(id=user_id, organization_id=actor.org_id).using_db(connection).first()
    if user is None:
        raise NotFound("no such user", field=field)
    return user


async def invite_user(actor: Actor, invitation: UserInvitation, *, clock: Clock,
                      idempotency_key: str | None = None) -> InvitedUser:
    """Create a user of the actor's organisation without a password, with a one-time activation secret.

    Refuses PERMISSION_DENIED (not the organisation's user admin), INVALID on the input (a role of the other kind of
    organisation among them), DUPLICATE_EMAIL when the address already has an account, and NOT_FOUND (`managerId`)
    for a manager who is not an active user of the same organisation."""
    _require_user_admin(actor, "invite a user")
    invitation = validated_invitation(actor, invitation)
    now = clock.now()
    issued: list[ActivationSecret] = []

    async def create(connection: BaseDBAsyncClient) -> User:
        if await User.filter(email=invitation.email).using_db(connection).exists():
            raise ValidationFailed(f"{invitation.email} already has an account", field="email",
                                   code="DUPLICATE_EMAIL")
        if invitation.manager_id is not None:
            manager = await _colleague(actor, invitation.manager_id, "managerId", connection)
            if not manager.is_active:
                raise NotFound("no such user", field="managerId")
        user = await User.create(
            email=invitation.email, display_name=invitation.display_name, organization_id=actor.org_id,
            roles=[role.value for role in invitation.roles], manager_id=invitation.manager_id, password_hash=None,
            created_at=now, using_db=connection)
        activation = await issue_activation(connection, user.id, now)
        await record_event(connection, at=now, actor=actor, action="user.invited", subject_type="User",
                           subject_id=user.id, supplier_id=actor.supplier_id, data={
                               "email": user.email, "roles": list(user.roles),
                               "manager_id": str(invitation.manager_id) if invitation.manager_id else None,
                               "activation_expires_at": activation.expires_at.isoformat(),
                           })
        issued.append(activation)
        return user

    request = {"email": invitation.email, "display_name": invitation.display_name,
               "roles": [role.value for role in invitation.roles],
               "manager_id": str(invitation.manager_id) if invitation.manager_id else None}
    try:
        user, created = await create_once(actor, INVITE_OPERATION, idempotency_key, request, create,
                                          lambda user_id: User.get(id=user_id))
    except IntegrityError:
        # A concurrent invitation took the address between our check and our insert.
        raise Conflict(f"{invitation.email} was invited by another request at the same moment",
                       field="email") from None
    activation = issued[0] if created else None
    return InvitedUser(user, activation.secret if activation else None,
                       activation.expires_at if activation else user.activation_expires_at, created)


async def deactivate_user(actor: Actor, user_id: uuid.UUID, *, clock: Clock) -> User:
    """Deactivate a user of the actor's organisation: they can no longer log in, and their tokens stop working.

    Refuses PERMISSION_DENIED (not the organisation's user admin), NOT_FOUND (`id`) for a user of another
    organisation, ILLEGAL_TRANSITION for the actor themselves or a user already deactivated."""
    _require_admin_of_another(actor, user_id, "deactivate a user", "you cannot deactivate yourself: ask another admin")
    now = clock.now()
    async with in_transaction() as connection:
        user = await _colleague(actor, user_id, "id", connection)
        updated = await User.filter(id=user.id, is_active=True).using_db(connection).update(
            is_active=False, activation_token_hash=None, activation_expires_at=None)
        if not updated:
            raise IllegalTransition(f"{user.email} is already deactivated", field="id")
        await record_event(connection, at=now, actor=actor, action="user.deactivated", subject_type="User",
                           subject_id=user.id, supplier_id=actor.supplier_id,
                           data={"email": user.email, "roles": list(user.roles)})
    user.is_active, user.activation_token_hash, user.activation_expires_at = False, None, None
    return user


async def send_activation_link(actor: Actor, user_id: uuid.UUID, *, clock: Clock) -> InvitedUser:
    """A new one-time link for a user of the actor's organisation; any earlier link stops working.

    For a user who has not activated yet (their link expired, or was lost), it is a new invitation link. For one who
    has a password, it is a reset: the password and every session and API token of theirs stop working at once, and
    the link sets a new password. Refuses PERMISSION_DENIED (not the organisation's user admin), NOT_FOUND (`id`) for
    a user of another organisation, ILLEGAL_TRANSITION for a deactivated user or the actor themselves (who changes
    their own password with `change_password`)."""
    _require_admin_of_another(actor, user_id, "send an activation link",
                              "change your own password instead (changePassword)")
    now = clock.now()
    async with in_transaction() as connection:
        user = await _colleague(actor, user_id, "id", connection)
        if not user.is_active:
            raise IllegalTransition(f"{user.email} is deactivated", field="id")
        reset = user.password_hash is not None
        ended = 0
        if reset:
            await User.filter(id=user.id).using_db(connection).update(password_hash=None)
            ended = await AuthToken.filter(user_id=user.id, revoked_at__isnull=True).using_db(connection).update(
                revoked_at=now)
        activation = await issue_activation(connection, user.id, now)
        await record_event(connection, at=now, actor=actor,
                           action="user.password_reset" if reset else "user.activation_reissued",
                           subject_type="User", subject_id=user.id, supplier_id=actor.supplier_id,
                           data={"email": user.email, "tokens_revoked": ended,
                                 "activation_expires_at": activation.expires_at.isoformat()})
    if reset:
        user.password_hash = None
    user.activation_token_hash, user.activation_expires_at = token_digest(activation.secret), activation.expires_at
    return InvitedUser(user, activation.secret, activation.expires_at, created=False)
