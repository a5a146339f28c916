"""Supplier onboarding and qualification through the workflows (no GraphQL): invitation, activation links,
qualify / suspend / reject, and `require_qualified`. Every supplier here is one the test invites itself."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from domain.clock import FrozenClock
from domain.enums import KeyKind, KeyStatus, OrgKind, QualificationStatus as QS
from domain.errors import DomainError
from domain.models import AuditEvent, IdempotencyKey, LoginFailure, Organization, SigningKey, User
from tests.support.suppliers import PASSWORD, actor_of, credit_code, invitation
from workflows import suppliers
from workflows.activation import ACTIVATION_VALIDITY, activate_account, activation_link
from workflows.documents import keyring
from workflows.identity import LoginPolicy, login, password_matches

pytestmark = pytest.mark.usefixtures("demo")

PROCUREMENT, ADMIN = "procurement@buyer.example", "admin@buyer.example"
ACCOUNTING, AUDITOR = "accounting@buyer.example", "auditor@buyer.example"
SUPPLIER_A = "sales@supplier-a.example"
POLICY = LoginPolicy()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture(scope="module")
async def keys(demo, master):  # noqa: ANN001, ANN201
    """The portal's root and buyer keys (the qualification issues the supplier's under them)."""
    await keyring.init_keys(master, datetime.now(UTC))
    return master


async def invited(clock: FrozenClock, **changes) -> suppliers.InvitedSupplier:  # noqa: ANN003
    return await suppliers.invite_supplier(await actor_of(PROCUREMENT), invitation(**changes), clock=clock)


def refusal(error: pytest.ExceptionInfo[DomainError]) -> tuple[str, str | None]:
    return error.value.code, error.value.field


# -- require_qualified -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, status, allowed", [
    (OrgKind.SUPPLIER, QS.QUALIFIED, True),
    (OrgKind.SUPPLIER, QS.APPLIED, False),
    (OrgKind.SUPPLIER, QS.SUSPENDED, False),
    (OrgKind.SUPPLIER, QS.REJECTED, False),
    (OrgKind.BUYER, None, False),
])
def test_only_a_qualified_supplier_may_bid_or_be_awarded(kind, status, allowed) -> None:  # noqa: ANN001
    organization = Organization(kind=kind, code="X", qualification_status=status)
    if allowed:
        suppliers.require_qualified(organization)
        return
    with pytest.raises(DomainError) as error:
        suppliers.require_qualified(organization, field="bids[0].supplierId")
    assert refusal(error) == ("SUPPLIER_NOT_QUALIFIED", "bids[0].supplierId")


# -- invitation ------------------------------------------------------------------------------------------------------

async def test_an_invitation_creates_an_applied_supplier_and_an_admin_with_a_one_time_link(clock) -> None:
    result = await invited(clock, code=" t-lower-1 ", admin_email="  Mixed.Case@Supplier.Example ",
                           categories=("FASTENERS", " PLASTICS ", "FASTENERS"), credit_code=" 91350100M000100Y43 ")
    org, admin = result.organization, result.admin
    assert result.created and org.kind is OrgKind.SUPPLIER and org.qualification_status is QS.APPLIED
    assert (org.code, org.credit_code, org.categories) == ("T-LOWER-1", "91350100M000100Y43", ["FASTENERS", "PLASTICS"])
    assert org.contact_email == admin.email == "mixed.case@supplier.example"
    stored = await User.get(id=admin.id)
    assert stored.roles == ["SUPPLIER_ADMIN"] and stored.password_hash is None and stored.organization_id == org.id
    assert stored.activation_token_hash == hashlib.sha256(result.activation_secret.encode()).hexdigest()
    assert stored.activation_expires_at == clock.now() + ACTIVATION_VALIDITY == result.activation_expires_at
    event = await AuditEvent.get(action="supplier.invited", subject_id=org.id)
    assert event.supplier_id == org.id and event.data["admin_email"] == admin.email
    assert result.activation_secret not in json.dumps(event.data)
    assert activation_link("https://portal.example/", "pac_x-y") == "https://portal.example/activate?token=pac_x-y"


@pytest.mark.parametrize("changes, code, field", [
    ({"code": "x"}, "INVALID", "code"),
    ({"code": "BAD CODE"}, "INVALID", "code"),
    ({"credit_code": "91350100M000100Y4"}, "INVALID_CREDIT_CODE", "creditCode"),  # 17 characters
    ({"credit_code": "91350100M000100Y42"}, "INVALID_CREDIT_CODE", "creditCode"),  # wrong check character
    ({"credit_code": "91350100M0001O0Y43"}, "INVALID_CREDIT_CODE", "creditCode"),  # the letter O
    ({"credit_code": "913501A0M000100Y43"}, "INVALID_CREDIT_CODE", "creditCode"),  # division code not digits
    ({"name_zh": "  "}, "INVALID", "nameZh"),
    ({"name_en": "x" * 201}, "INVALID", "nameEn"),
    ({"admin_name": ""}, "INVALID", "adminName"),
    ({"admin_email": "no-at-sign"}, "INVALID", "adminEmail"),
    ({"contact_email": "a@b"}, "INVALID", "contactEmail"),
    ({"categories": ("A",) * 21}, "INVALID", "categories"),
    ({"categories": ("A", "")}, "INVALID", "categories[1]"),
    ({"address": "x" * 301}, "INVALID", "address"),
])
async def test_an_invitation_with_bad_input_is_refused_naming_the_field(clock, changes, code, field) -> None:
    request = invitation(**changes)
    with pytest.raises(DomainError) as error:
        await suppliers.invite_supplier(await actor_of(PROCUREMENT), request, clock=clock)
    assert refusal(error) == (code, field)
    assert not await Organization.filter(code=request.code.strip().upper()).exists()


@pytest.mark.parametrize("changes, field", [
    ({"name_zh": " "}, "nameZh"),
    ({"name_en": "x" * 201}, "nameEn"),
    ({"admin_name": "x" * 121}, "adminName"),
    ({"categories": ("A", "")}, "categories[1]"),
    ({"address": "x" * 301}, "address"),
    # Free text is checked as everywhere else (workflows.inputs.text): no control characters either.
    ({"name_zh": "测试\x00供应商"}, "nameZh"),
    ({"admin_name": "Tester\x1b[2J"}, "adminName"),
    ({"categories": ("A", "B\x07")}, "categories[1]"),
])
async def test_free_text_is_checked_like_any_input_and_the_message_names_the_field(clock, changes, field) -> None:
    with pytest.raises(DomainError) as error:
        await suppliers.invite_supplier(await actor_of(PROCUREMENT), invitation(**changes), clock=clock)
    assert refusal(error) == ("INVALID", field) and field in error.value.message


@pytest.mark.parametrize("taken, code, field", [
    ("code", "DUPLICATE_CODE", "code"),
    ("credit_code", "DUPLICATE_CREDIT_CODE", "creditCode"),
    ("admin_email", "DUPLICATE_EMAIL", "adminEmail"),
])
async def test_an_invitation_repeating_a_code_credit_code_or_email_is_refused(clock, taken, code, field) -> None:
    first = invitation()
    await suppliers.invite_supplier(await actor_of(PROCUREMENT), first, clock=clock)
    second = replace(invitation(), **{taken: getattr(first, taken).lower()})
    with pytest.raises(DomainError) as error:
        await suppliers.invite_supplier(await actor_of(ADMIN), second, clock=clock)
    assert refusal(error) == (code, field)


async def test_an_existing_users_email_cannot_be_invited(clock) -> None:  # noqa: ANN001
    with pytest.raises(DomainError) as error:
        await invited(clock, admin_email=SUPPLIER_A.upper())
    assert refusal(error) == ("DUPLICATE_EMAIL", "adminEmail")


@pytest.mark.parametrize("email", [ACCOUNTING, AUDITOR, SUPPLIER_A])
async def test_only_procurement_and_admins_invite(clock, email) -> None:  # noqa: ANN001
    request = invitation()
    with pytest.raises(DomainError) as error:
        await suppliers.invite_supplier(await actor_of(email), request, clock=clock)
    assert error.value.code == "PERMISSION_DENIED"
    assert not await Organization.filter(code=request.code).exists()


async def test_an_invitation_retried_with_its_key_creates_one_supplier(clock) -> None:  # noqa: ANN001
    actor, request, key = await actor_of(PROCUREMENT), invitation(), f"invite-{uuid.uuid4()}"
    first = await suppliers.invite_supplier(actor, request, clock=clock, idempotency_key=key)
    again = await suppliers.invite_supplier(actor, request, clock=clock, idempotency_key=key)
    assert first.created and not again.created and again.activation_secret is None
    assert again.organization.id == first.organization.id and again.admin.id == first.admin.id
    assert await Organization.filter(code=request.code).count() == 1
    assert await IdempotencyKey.filter(key=key).count() == 1
    with pytest.raises(DomainError) as error:
        await suppliers.invite_supplier(actor, replace(request, name_en="Another"), clock=clock, idempotency_key=key)
    assert refusal(error) == ("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")


# -- activation -------------------------------------------------------------------------------------------------------

async def test_an_activation_link_sets_the_password_once(clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    user = await activate_account(result.activation_secret, PASSWORD, address="192.0.2.1", clock=clock, policy=POLICY)
    stored = await User.get(id=result.admin.id)
    assert user.id == stored.id and password_matches(stored.password_hash, PASSWORD)
    assert stored.activation_token_hash is None and stored.activation_expires_at is None
    assert await AuditEvent.filter(action="user.activated", subject_id=stored.id,
                                   supplier_id=result.organization.id).exists()
    session = await login(stored.email, PASSWORD, address="192.0.2.1", clock=clock, policy=POLICY)
    assert session.user.id == stored.id
    with pytest.raises(DomainError) as error:
        await activate_account(result.activation_secret, "another password!", address="192.0.2.1", clock=clock,
                               policy=POLICY)
    assert refusal(error) == ("INVALID_ACTIVATION_TOKEN", "token")
    assert password_matches((await User.get(id=stored.id)).password_hash, PASSWORD)


async def test_unknown_expired_and_malformed_links_get_one_answer(clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    address = f"192.0.2.{uuid.uuid4().int % 200 + 10}"
    later = FrozenClock(clock.now() + ACTIVATION_VALIDITY)
    answers = set()
    for token, at in [("pac_" + "x" * 43, clock), ("garbage", clock), ("pac_" + "x" * 200, clock),
                      (result.activation_secret, later)]:
        with pytest.raises(DomainError) as error:
            await activate_account(token, PASSWORD, address=address, clock=at, policy=POLICY)
        answers.add((error.value.code, error.value.message, error.value.field))
    assert len(answers) == 1 and next(iter(answers))[::2] == ("INVALID_ACTIVATION_TOKEN", "token")
    # Just before expiry it still works.
    just_before = FrozenClock(later.now() - timedelta(seconds=1))
    await activate_account(result.activation_secret, PASSWORD, address=address, clock=just_before, policy=POLICY)


async def test_a_too_short_password_leaves_the_link_usable(clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    with pytest.raises(DomainError) as error:
        await activate_account(result.activation_secret, "short", address="192.0.2.2", clock=clock, policy=POLICY)
    assert refusal(error) == ("INVALID", "password")
    await activate_account(result.activation_secret, PASSWORD, address="192.0.2.2", clock=clock, policy=POLICY)


async def test_repeated_failed_activations_from_one_address_are_rate_limited(clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    address, policy = f"192.0.2.{uuid.uuid4().int % 200 + 10}-rl", LoginPolicy(failures_per_address=2)
    for _ in range(2):
        with pytest.raises(DomainError) as error:
            await activate_account("pac_wrong", PASSWORD, address=address, clock=clock, policy=policy)
        assert error.value.code == "INVALID_ACTIVATION_TOKEN"
    with pytest.raises(DomainError) as error:
        await activate_account(result.activation_secret, PASSWORD, address=address, clock=clock, policy=policy)
    assert error.value.code == "TOO_MANY_ATTEMPTS"
    assert await LoginFailure.filter(key=f"activation:{address}").count() == 2
    clock.advance(timedelta(minutes=policy.window_minutes, seconds=1))
    await activate_account(result.activation_secret, PASSWORD, address=address, clock=clock, policy=policy)


async def test_a_reissued_link_replaces_the_old_one(clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    clock.advance(ACTIVATION_VALIDITY * 2)  # the first link has expired
    again = await suppliers.reissue_activation(await actor_of(ADMIN), result.organization.id, clock=clock)
    assert again.admin.id == result.admin.id and again.activation_expires_at == clock.now() + ACTIVATION_VALIDITY
    assert await AuditEvent.filter(action="supplier.activation_reissued", subject_id=result.organization.id).exists()
    with pytest.raises(DomainError):
        await activate_account(result.activation_secret, PASSWORD, address="192.0.2.3", clock=clock, policy=POLICY)
    await activate_account(again.activation_secret, PASSWORD, address="192.0.2.3", clock=clock, policy=POLICY)
    with pytest.raises(DomainError) as error:
        await suppliers.reissue_activation(await actor_of(ADMIN), result.organization.id, clock=clock)
    assert refusal(error) == ("ALREADY_ACTIVATED", "id")


@pytest.mark.parametrize("email, code", [(ACCOUNTING, "PERMISSION_DENIED"), (SUPPLIER_A, "PERMISSION_DENIED")])
async def test_only_procurement_and_admins_reissue_links(clock, email, code) -> None:  # noqa: ANN001
    result = await invited(clock)
    with pytest.raises(DomainError) as error:
        await suppliers.reissue_activation(await actor_of(email), result.organization.id, clock=clock)
    assert error.value.code == code
    with pytest.raises(DomainError) as error:
        await suppliers.reissue_activation(await actor_of(PROCUREMENT), uuid.uuid4(), clock=clock)
    assert refusal(error) == ("NOT_FOUND", "id")


# -- qualification ----------------------------------------------------------------------------------------------------

async def supplier_in(status: QS, clock: FrozenClock, master) -> Organization:  # noqa: ANN001
    """A new supplier brought to `status` through the workflows."""
    org = (await invited(clock)).organization
    staff = await actor_of(PROCUREMENT)
    if status in (QS.QUALIFIED, QS.SUSPENDED):
        org = await suppliers.qualify_supplier(staff, org.id, clock=clock, master=master)
    if status is QS.SUSPENDED:
        org = await suppliers.suspend_supplier(staff, org.id, reason="late deliveries", clock=clock)
    if status is QS.REJECTED:
        org = await suppliers.reject_supplier(staff, org.id, reason="no ISO 9001", clock=clock)
    return org


async def take(name: str, org: Organization, clock: FrozenClock, master, email: str = PROCUREMENT,  # noqa: ANN001
               reason: str = "quality problems") -> Organization:
    actor = await actor_of(email)
    if name == "qualify":
        return await suppliers.qualify_supplier(actor, org.id, note="audit passed", clock=clock, master=master)
    if name == "suspend":
        return await suppliers.suspend_supplier(actor, org.id, reason=reason, clock=clock)
    return await suppliers.reject_supplier(actor, org.id, reason=reason, clock=clock)


@pytest.mark.parametrize("start, name, outcome", [
    (QS.APPLIED, "qualify", QS.QUALIFIED),
    (QS.APPLIED, "suspend", "ILLEGAL_TRANSITION"),
    (QS.APPLIED, "reject", QS.REJECTED),
    (QS.QUALIFIED, "qualify", "ILLEGAL_TRANSITION"),
    (QS.QUALIFIED, "suspend", QS.SUSPENDED),
    (QS.QUALIFIED, "reject", "ILLEGAL_TRANSITION"),
    (QS.SUSPENDED, "qualify", QS.QUALIFIED),
    (QS.SUSPENDED, "suspend", "ILLEGAL_TRANSITION"),
    (QS.SUSPENDED, "reject", "ILLEGAL_TRANSITION"),
    (QS.REJECTED, "qualify", "ILLEGAL_TRANSITION"),
    (QS.REJECTED, "suspend", "ILLEGAL_TRANSITION"),
    (QS.REJECTED, "reject", "ILLEGAL_TRANSITION"),
])
async def test_supplier_transitions(keys, clock, start, name, outcome) -> None:  # noqa: ANN001
    org = await supplier_in(start, clock, keys)
    if not isinstance(outcome, QS):
        with pytest.raises(DomainError) as error:
            await take(name, org, clock, keys)
        assert refusal(error) == (outcome, "id")
        assert (await Organization.get(id=org.id)).qualification_status is start
        return
    changed = await take(name, org, clock, keys)
    stored = await Organization.get(id=org.id)
    assert changed.qualification_status is stored.qualification_status is outcome
    event = await AuditEvent.filter(action=f"organization.{name}", subject_id=org.id).order_by("-seq").first()
    assert event.supplier_id == org.id and event.data["to"] == outcome.value


@pytest.mark.parametrize("name", ["qualify", "suspend", "reject"])
@pytest.mark.parametrize("email", [ACCOUNTING, AUDITOR, SUPPLIER_A])
async def test_only_procurement_and_admins_change_a_qualification(keys, clock, name, email) -> None:  # noqa: ANN001
    org = await supplier_in(QS.QUALIFIED if name == "suspend" else QS.APPLIED, clock, keys)
    with pytest.raises(DomainError) as error:
        await take(name, org, clock, keys, email=email)
    assert error.value.code == "PERMISSION_DENIED"


@pytest.mark.parametrize("name", ["qualify", "suspend", "reject"])
async def test_an_unknown_supplier_or_the_buyer_is_not_found(keys, clock, name) -> None:  # noqa: ANN001
    buyer = await Organization.get(kind=OrgKind.BUYER)
    for org in (Organization(id=uuid.uuid4(), kind=OrgKind.SUPPLIER), buyer):
        with pytest.raises(DomainError) as error:
            await take(name, org, clock, keys, email=ADMIN)
        assert refusal(error) == ("NOT_FOUND", "id")


async def test_qualifying_issues_the_signing_key_once_and_suspension_keeps_a_reason(keys, clock) -> None:
    org = (await invited(clock)).organization
    staff = await actor_of(ADMIN)
    assert not await SigningKey.filter(organization_id=org.id).exists()
    qualified = await suppliers.qualify_supplier(staff, org.id, note="site audit 2026-11", clock=clock, master=keys)
    assert qualified.qualified_at == clock.now()
    key = await SigningKey.get(organization_id=org.id, kind=KeyKind.SIGNING, status=KeyStatus.ACTIVE)
    suppliers.require_qualified(qualified)
    event = await AuditEvent.get(action="organization.qualify", subject_id=org.id)
    assert event.data["note"] == "site audit 2026-11"

    suspended = await suppliers.suspend_supplier(staff, org.id, reason="  two late deliveries  ", clock=clock)
    stored = await Organization.get(id=org.id)
    assert stored.suspension_reason == suspended.suspension_reason == "two late deliveries"
    assert stored.suspended_at == clock.now()
    with pytest.raises(DomainError) as error:
        suppliers.require_qualified(stored)
    assert error.value.code == "SUPPLIER_NOT_QUALIFIED"

    await suppliers.qualify_supplier(staff, org.id, clock=clock, master=keys)
    stored = await Organization.get(id=org.id)
    assert stored.qualification_status is QS.QUALIFIED and stored.suspension_reason == ""
    assert [k.id for k in await SigningKey.filter(organization_id=org.id)] == [key.id]


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
async def test_a_suspension_or_rejection_needs_a_reason(keys, clock, reason) -> None:  # noqa: ANN001
    qualified, applied = await supplier_in(QS.QUALIFIED, clock, keys), await supplier_in(QS.APPLIED, clock, keys)
    for name, org in (("suspend", qualified), ("reject", applied)):
        with pytest.raises(DomainError) as error:
            await take(name, org, clock, keys, reason=reason)
        assert refusal(error) == ("INVALID", "reason")


async def test_a_too_long_note_is_refused(keys, clock) -> None:  # noqa: ANN001
    org = await supplier_in(QS.APPLIED, clock, keys)
    with pytest.raises(DomainError) as error:
        await suppliers.qualify_supplier(await actor_of(ADMIN), org.id, note="x" * 501, clock=clock, master=keys)
    assert refusal(error) == ("INVALID", "note")
    assert not await SigningKey.filter(organization_id=org.id).exists()


async def test_a_rejected_applicant_cannot_activate_or_get_a_new_link(keys, clock) -> None:  # noqa: ANN001
    result = await invited(clock)
    await suppliers.reject_supplier(await actor_of(ADMIN), result.organization.id, reason="no licence", clock=clock)
    admin = await User.get(id=result.admin.id)
    assert not admin.is_active and admin.activation_token_hash is None
    with pytest.raises(DomainError) as error:
        await activate_account(result.activation_secret, PASSWORD, address="192.0.2.4", clock=clock, policy=POLICY)
    assert error.value.code == "INVALID_ACTIVATION_TOKEN"
    with pytest.raises(DomainError) as error:
        await suppliers.reissue_activation(await actor_of(ADMIN), result.organization.id, clock=clock)
    assert refusal(error) == ("ILLEGAL_TRANSITION", "id")


# -- concurrency ------------------------------------------------------------------------------------------------------

async def test_two_invitations_of_one_code_at_once_make_one_supplier(clock) -> None:  # noqa: ANN001
    first, actor = invitation(), await actor_of(PROCUREMENT)
    second = replace(invitation(), code=first.code)
    results = await asyncio.gather(*(suppliers.invite_supplier(actor, request, clock=clock)
                                     for request in (first, second)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and isinstance(refused[0], DomainError), results
    assert (refused[0].code, refused[0].field) in {("DUPLICATE_CODE", "code"), ("CONFLICT", "code")}
    assert await Organization.filter(code=first.code).count() == 1


async def test_two_retries_with_one_key_at_once_make_one_supplier(clock) -> None:  # noqa: ANN001
    request, actor, key = invitation(), await actor_of(PROCUREMENT), f"race-{uuid.uuid4()}"
    results = await asyncio.gather(*(suppliers.invite_supplier(actor, request, clock=clock, idempotency_key=key)
                                     for _ in range(2)), return_exceptions=True)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.organization.id for r in results} == {results[0].organization.id}
    assert [r.created for r in results].count(True) == 1
    assert await Organization.filter(code=request.code).count() == 1


async def test_two_qualifications_at_once_qualify_once(keys, clock) -> None:  # noqa: ANN001
    org = await supplier_in(QS.APPLIED, clock, keys)
    actor = await actor_of(PROCUREMENT)
    results = await asyncio.gather(*(suppliers.qualify_supplier(actor, org.id, clock=clock, master=keys)
                                     for _ in range(2)), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and getattr(refused[0], "code", None) in {"CONFLICT", "ILLEGAL_TRANSITION"}, results
    assert await AuditEvent.filter(action="organization.qualify", subject_id=org.id).count() == 1
    assert await SigningKey.filter(organization_id=org.id, status=KeyStatus.ACTIVE).count() == 1
