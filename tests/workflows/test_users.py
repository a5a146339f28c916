"""An organisation's people through the workflows (no GraphQL): the buyer's admin and a supplier's admin invite and
deactivate users of their own organisation, and nobody else's. Every user deactivated here is one the test invited."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.clock import FrozenClock
from domain.enums import Role
from domain.errors import AuthenticationFailed, DomainError
from domain.models import AuditEvent, User
from tests.support.suppliers import PASSWORD, actor_of
from workflows import users, visibility
from workflows.activation import activate_account
from workflows.identity import LoginPolicy, authenticate, change_password, create_api_token, login

pytestmark = pytest.mark.usefixtures("demo")

ADMIN, PROCUREMENT = "admin@buyer.example", "procurement@buyer.example"
SUPPLIER_A_ADMIN, SUPPLIER_A_USER = "sales@supplier-a.example", "orders@supplier-a.example"
SUPPLIER_B_ADMIN = "sales@supplier-b.example"
POLICY = LoginPolicy()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


def invitation(*roles: Role, **changes) -> users.UserInvitation:  # noqa: ANN003
    tag = uuid.uuid4().hex[:8]
    arguments = {"email": f"person-{tag}@people.example", "display_name": f"王芳 Wang Fang {tag}",
                 "roles": roles or (Role.PROCUREMENT,)}
    return users.UserInvitation(**(arguments | changes))


def refusal(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.code, error.value.field


async def test_the_admin_invites_staff_who_activate_their_account_and_log_in(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    manager = await User.get(email=PROCUREMENT)
    request = invitation(Role.PROCUREMENT, Role.ACCOUNTING, Role.PROCUREMENT, email="  New.Buyer@People.Example ",
                         manager_id=manager.id)

    invited = await users.invite_user(admin, request, clock=clock)

    user = await User.get(id=invited.user.id)
    assert (user.email, user.organization_id, user.manager_id) == ("new.buyer@people.example", admin.org_id, manager.id)
    assert user.roles == ["ACCOUNTING", "PROCUREMENT"] and user.password_hash is None and user.is_active
    assert invited.created and invited.activation_expires_at > clock.now()
    event = await AuditEvent.get(action="user.invited", subject_id=user.id)
    assert event.actor_user_id == admin.user_id and event.supplier_id is None
    assert invited.activation_secret not in json.dumps(event.data)  # the link is shown once, never stored
    await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.7", clock=clock, policy=POLICY)
    session = await login(user.email, PASSWORD, address="192.0.2.7", clock=clock, policy=POLICY)
    assert (await authenticate(session.secret, clock=clock)).roles == {Role.ACCOUNTING, Role.PROCUREMENT}


async def test_a_supplier_admin_invites_users_of_their_own_supplier_only(clock) -> None:  # noqa: ANN001
    supplier_admin = await actor_of(SUPPLIER_A_ADMIN)
    colleague = await User.get(email=SUPPLIER_A_USER)

    invited = await users.invite_user(supplier_admin, invitation(Role.SUPPLIER_USER, manager_id=colleague.id),
                                      clock=clock)

    assert invited.user.organization_id == supplier_admin.org_id and invited.user.roles == ["SUPPLIER_USER"]
    event = await AuditEvent.get(action="user.invited", subject_id=invited.user.id)
    assert event.supplier_id == supplier_admin.org_id  # the supplier sees it in its own trail
    staff_manager = await User.get(email=PROCUREMENT)
    with pytest.raises(DomainError) as error:  # a manager of another organisation does not exist for them
        await users.invite_user(supplier_admin, invitation(Role.SUPPLIER_USER, manager_id=staff_manager.id),
                                clock=clock)
    assert refusal(error) == ("NOT_FOUND", "managerId")


@pytest.mark.parametrize("inviter, roles, changes, expected", [
    (ADMIN, (Role.SUPPLIER_USER,), {}, ("INVALID", "roles")),
    (ADMIN, (Role.ADMIN, Role.SUPPLIER_ADMIN), {}, ("INVALID", "roles")),
    (SUPPLIER_A_ADMIN, (Role.ADMIN,), {}, ("INVALID", "roles")),
    (SUPPLIER_A_ADMIN, (Role.AUDITOR,), {}, ("INVALID", "roles")),
    (ADMIN, (), {"roles": ()}, ("INVALID", "roles")),
    (ADMIN, (), {"email": "not an address"}, ("INVALID", "email")),
    (ADMIN, (), {"email": "x" * 250 + "@a.example"}, ("INVALID", "email")),
    (ADMIN, (), {"display_name": "   "}, ("INVALID", "displayName")),
    (ADMIN, (), {"display_name": "x" * 121}, ("INVALID", "displayName")),
    (ADMIN, (), {"display_name": "bell\x07"}, ("INVALID", "displayName")),
    (ADMIN, (), {"email": PROCUREMENT.upper()}, ("DUPLICATE_EMAIL", "email")),
    (ADMIN, (), {"manager_id": uuid.uuid4()}, ("NOT_FOUND", "managerId")),
    (PROCUREMENT, (), {}, ("PERMISSION_DENIED", None)),
    ("accounting@buyer.example", (), {}, ("PERMISSION_DENIED", None)),
    ("auditor@buyer.example", (), {}, ("PERMISSION_DENIED", None)),
    (SUPPLIER_A_USER, (Role.SUPPLIER_USER,), {}, ("PERMISSION_DENIED", None)),
])
async def test_an_invitation_is_refused_naming_what_was_wrong_and_creates_nothing(
    clock, inviter, roles, changes, expected,  # noqa: ANN001
) -> None:
    request = invitation(*roles, **changes)
    before = await User.all().count()
    with pytest.raises(DomainError) as error:
        await users.invite_user(await actor_of(inviter), request, clock=clock)
    assert refusal(error) == expected
    assert await User.all().count() == before


async def test_an_invitation_retried_with_its_key_creates_one_user(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    request = invitation(Role.AUDITOR)
    first = await users.invite_user(admin, request, clock=clock, idempotency_key="invite-auditor-1")
    again = await users.invite_user(admin, request, clock=clock, idempotency_key="invite-auditor-1")
    assert again.user.id == first.user.id and not again.created and again.activation_secret is None
    assert await User.filter(email=request.email).count() == 1


async def test_a_deactivated_user_cannot_log_in_and_their_session_stops_at_once(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(Role.ACCOUNTING), clock=clock)
    await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.8", clock=clock, policy=POLICY)
    session = await login(invited.user.email, PASSWORD, address="192.0.2.8", clock=clock, policy=POLICY)
    assert await authenticate(session.secret, clock=clock) is not None

    user = await users.deactivate_user(admin, invited.user.id, clock=clock)

    assert not user.is_active
    assert await authenticate(session.secret, clock=clock) is None
    with pytest.raises(AuthenticationFailed):
        await login(invited.user.email, PASSWORD, address="192.0.2.8", clock=clock, policy=POLICY)
    assert await AuditEvent.filter(action="user.deactivated", subject_id=user.id, actor_user_id=admin.user_id).exists()
    with pytest.raises(DomainError) as error:
        await users.deactivate_user(admin, invited.user.id, clock=clock)
    assert refusal(error) == ("ILLEGAL_TRANSITION", "id")


async def test_a_pending_invitation_dies_with_the_deactivation(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(), clock=clock)
    await users.deactivate_user(admin, invited.user.id, clock=clock)
    with pytest.raises(DomainError) as error:
        await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.9", clock=clock, policy=POLICY)
    assert refusal(error) == ("INVALID_ACTIVATION_TOKEN", "token")


async def test_nobody_deactivates_themselves_or_another_organisations_users(clock) -> None:  # noqa: ANN001
    admin, supplier_admin = await actor_of(ADMIN), await actor_of(SUPPLIER_A_ADMIN)
    staff = await users.invite_user(admin, invitation(), clock=clock)
    supplier_user = await users.invite_user(supplier_admin, invitation(Role.SUPPLIER_USER), clock=clock)
    cases = [
        (admin, admin.user_id, ("ILLEGAL_TRANSITION", "id")),
        (admin, supplier_user.user.id, ("NOT_FOUND", "id")),  # the buyer's admin does not run a supplier's people
        (supplier_admin, staff.user.id, ("NOT_FOUND", "id")),
        (await actor_of(SUPPLIER_B_ADMIN), supplier_user.user.id, ("NOT_FOUND", "id")),
        (await actor_of(PROCUREMENT), staff.user.id, ("PERMISSION_DENIED", None)),
        (await actor_of(SUPPLIER_A_USER), supplier_user.user.id, ("PERMISSION_DENIED", None)),
        (admin, uuid.uuid4(), ("NOT_FOUND", "id")),
    ]
    for actor, user_id, expected in cases:
        with pytest.raises(DomainError) as error:
            await users.deactivate_user(actor, user_id, clock=clock)
        assert refusal(error) == expected, (actor.email, expected)
    assert (await User.get(id=staff.user.id)).is_active and (await User.get(id=supplier_user.user.id)).is_active


async def test_an_admin_lists_their_own_organisation_and_everyone_else_only_themselves() -> None:
    admin, procurement = await actor_of(ADMIN), await actor_of(PROCUREMENT)
    supplier_admin, supplier_user = await actor_of(SUPPLIER_A_ADMIN), await actor_of(SUPPLIER_A_USER)

    staff = {user.email for user in await visibility.users(admin)}
    supplier_a = {user.email for user in await visibility.users(supplier_admin)}

    assert {ADMIN, PROCUREMENT, "accounting@buyer.example"} <= staff and SUPPLIER_A_ADMIN not in staff
    assert {SUPPLIER_A_ADMIN, SUPPLIER_A_USER} <= supplier_a and not supplier_a & staff
    assert SUPPLIER_B_ADMIN not in supplier_a
    assert [user.email for user in await visibility.users(procurement)] == [PROCUREMENT]
    assert [user.email for user in await visibility.users(supplier_user)] == [SUPPLIER_A_USER]


# -- new links and password changes ------------------------------------------------------------------------------------

async def test_a_new_link_replaces_an_invitation_that_was_lost(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(), clock=clock)

    again = await users.send_activation_link(admin, invited.user.id, clock=clock)

    with pytest.raises(DomainError) as error:
        await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.10", clock=clock, policy=POLICY)
    assert refusal(error) == ("INVALID_ACTIVATION_TOKEN", "token")
    await activate_account(again.activation_secret, PASSWORD, address="192.0.2.10", clock=clock, policy=POLICY)
    assert await AuditEvent.filter(action="user.activation_reissued", subject_id=invited.user.id).exists()


async def test_a_reset_link_ends_the_old_password_and_every_token_at_once(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(Role.ACCOUNTING), clock=clock)
    await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.11", clock=clock, policy=POLICY)
    session = await login(invited.user.email, PASSWORD, address="192.0.2.11", clock=clock, policy=POLICY)
    person = await authenticate(session.secret, clock=clock)
    api_token = await create_api_token(person, name="ERP", expires_at=None, clock=clock)

    reset = await users.send_activation_link(admin, invited.user.id, clock=clock)

    assert await authenticate(session.secret, clock=clock) is None
    assert await authenticate(api_token.secret, clock=clock) is None
    with pytest.raises(AuthenticationFailed):
        await login(invited.user.email, PASSWORD, address="192.0.2.11", clock=clock, policy=POLICY)
    await activate_account(reset.activation_secret, "a brand new password", address="192.0.2.11", clock=clock,
                           policy=POLICY)
    assert await login(invited.user.email, "a brand new password", address="192.0.2.11", clock=clock, policy=POLICY)
    event = await AuditEvent.get(action="user.password_reset", subject_id=invited.user.id)
    assert event.data["tokens_revoked"] == 2 and reset.activation_secret not in json.dumps(event.data)


async def test_new_links_are_refused_for_oneself_the_deactivated_and_other_organisations(clock) -> None:  # noqa: ANN001
    admin, supplier_admin = await actor_of(ADMIN), await actor_of(SUPPLIER_A_ADMIN)
    gone = await users.invite_user(admin, invitation(), clock=clock)
    await users.deactivate_user(admin, gone.user.id, clock=clock)
    staff = await users.invite_user(admin, invitation(), clock=clock)
    link_hash = (await User.get(id=staff.user.id)).activation_token_hash
    for actor, user_id, expected in [
        (admin, admin.user_id, ("ILLEGAL_TRANSITION", "id")),
        (admin, gone.user.id, ("ILLEGAL_TRANSITION", "id")),
        (supplier_admin, staff.user.id, ("NOT_FOUND", "id")),
        (await actor_of(PROCUREMENT), staff.user.id, ("PERMISSION_DENIED", None)),
    ]:
        with pytest.raises(DomainError) as error:
            await users.send_activation_link(actor, user_id, clock=clock)
        assert refusal(error) == expected
    assert link_hash and (await User.get(id=staff.user.id)).activation_token_hash == link_hash  # the link still works


async def test_changing_ones_password_ends_the_other_sessions_only(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(), clock=clock)
    await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.12", clock=clock, policy=POLICY)
    here = await login(invited.user.email, PASSWORD, address="192.0.2.12", clock=clock, policy=POLICY)
    elsewhere = await login(invited.user.email, PASSWORD, address="192.0.2.13", clock=clock, policy=POLICY)
    person = await authenticate(here.secret, clock=clock)
    integration = await create_api_token(person, name="ERP", expires_at=None, clock=clock)

    await change_password(person, PASSWORD, "another long password", session_secret=here.secret, clock=clock,
                          policy=POLICY)

    assert await authenticate(here.secret, clock=clock) is not None
    assert await authenticate(integration.secret, clock=clock) is not None
    assert await authenticate(elsewhere.secret, clock=clock) is None
    with pytest.raises(AuthenticationFailed):
        await login(invited.user.email, PASSWORD, address="192.0.2.12", clock=clock, policy=POLICY)
    assert await login(invited.user.email, "another long password", address="192.0.2.12", clock=clock, policy=POLICY)
    event = await AuditEvent.get(action="user.password_changed", subject_id=invited.user.id)
    assert event.data == {"other_sessions_ended": 1}


async def test_a_password_change_is_refused_naming_the_field_and_guesses_are_limited(clock) -> None:  # noqa: ANN001
    admin = await actor_of(ADMIN)
    invited = await users.invite_user(admin, invitation(), clock=clock)
    await activate_account(invited.activation_secret, PASSWORD, address="192.0.2.14", clock=clock, policy=POLICY)
    person = await actor_of(invited.user.email)
    for current, new, expected in [
        (PASSWORD, "short", ("INVALID", "newPassword")),
        (PASSWORD, PASSWORD, ("INVALID", "newPassword")),
        ("x" * 2000, "a fine new password", ("WRONG_PASSWORD", "currentPassword")),
    ]:
        with pytest.raises(DomainError) as error:
            await change_password(person, current, new, session_secret=None, clock=clock, policy=POLICY)
        assert refusal(error) == expected
    for _ in range(POLICY.failures_per_account - 1):
        with pytest.raises(DomainError) as error:
            await change_password(person, "not my password", "a fine new password", session_secret=None,
                                  clock=clock, policy=POLICY)
        assert refusal(error) == ("WRONG_PASSWORD", "currentPassword")
    with pytest.raises(DomainError) as error:  # even the right password, once the attempts have run out
        await change_password(person, PASSWORD, "a fine new password", session_secret=None, clock=clock,
                              policy=POLICY)
    assert refusal(error) == ("TOO_MANY_ATTEMPTS", "currentPassword")
    assert await login(invited.user.email, PASSWORD, address="192.0.2.15", clock=FrozenClock(
        clock.now() + timedelta(minutes=POLICY.window_minutes + 1)), policy=POLICY)
