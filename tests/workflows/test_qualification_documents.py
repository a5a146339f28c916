"""Qualification documents through the workflows: who keeps them, validation, duplicates, removal, and the expiry
queries the reminders run on. Every supplier here is one the test invites itself."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.clock import FrozenClock
from domain.enums import OrgKind, QualificationDocumentKind as Kind, Role
from domain.errors import DomainError
from domain.models import AuditEvent, Organization, QualificationDocument, User
from tests.support.suppliers import actor_of, invitation
from workflows import qualification_documents as docs, suppliers

pytestmark = pytest.mark.usefixtures("demo")

PROCUREMENT, ADMIN, ACCOUNTING = "procurement@buyer.example", "admin@buyer.example", "accounting@buyer.example"
# 2026-11-23 17:00 UTC is already the 24th in Shanghai: expiry dates follow the buyer's calendar.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
async def supplier(clock) -> Organization:  # noqa: ANN001
    return (await suppliers.invite_supplier(await actor_of(PROCUREMENT), invitation(), clock=clock)).organization


async def admin_of(organization: Organization, roles: tuple[Role, ...] = (Role.SUPPLIER_ADMIN,)) -> Actor:
    user = await User.filter(organization_id=organization.id).first()
    return Actor(user.id, organization.id, OrgKind.SUPPLIER, frozenset(roles), user.email)


def document(organization: Organization, **changes) -> docs.QualificationDocumentInput:  # noqa: ANN003
    return replace(docs.QualificationDocumentInput(
        supplier_id=organization.id, kind=Kind.ISO_9001, number=f"Q-{uuid.uuid4().hex[:8]}", title="ISO 9001:2015",
        issued_on=date(2024, 1, 1), expires_on=date(2027, 1, 1)), **changes)


async def test_staff_and_the_suppliers_own_admin_keep_documents(clock, supplier) -> None:  # noqa: ANN001
    for actor in (await actor_of(PROCUREMENT), await actor_of(ADMIN), await admin_of(supplier)):
        row = await docs.add_qualification_document(actor, document(supplier, number=f" N-{actor.email} "),
                                                    clock=clock)
        assert row.organization_id == supplier.id and row.number == f"N-{actor.email}"
        event = await AuditEvent.get(action="qualificationDocument.added", subject_id=row.id)
        assert event.supplier_id == supplier.id and event.actor_user_id == actor.user_id
    assert await QualificationDocument.filter(organization_id=supplier.id).count() == 3


@pytest.mark.parametrize("actor_kind", ["accounting", "supplier user", "other supplier admin"])
async def test_others_may_not_keep_a_suppliers_documents(clock, supplier, actor_kind) -> None:  # noqa: ANN001
    if actor_kind == "accounting":
        actor, code = await actor_of(ACCOUNTING), "PERMISSION_DENIED"
    elif actor_kind == "supplier user":
        actor, code = await admin_of(supplier, (Role.SUPPLIER_USER,)), "PERMISSION_DENIED"
    else:  # supplier A's admin must not even learn that this supplier exists
        actor, code = await actor_of("sales@supplier-a.example"), "NOT_FOUND"
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(actor, document(supplier), clock=clock)
    assert error.value.code == code
    row = await docs.add_qualification_document(await actor_of(PROCUREMENT), document(supplier), clock=clock)
    with pytest.raises(DomainError) as error:
        await docs.remove_qualification_document(actor, row.id, clock=clock)
    assert error.value.code == code
    assert await QualificationDocument.filter(id=row.id).exists()


@pytest.mark.parametrize("changes, code, field", [
    ({"number": " "}, "INVALID", "number"),
    ({"number": "x" * 65}, "INVALID", "number"),
    ({"title": ""}, "INVALID", "title"),
    ({"issued_on": TODAY + timedelta(days=1)}, "INVALID", "issuedOn"),
    ({"expires_on": date(2023, 12, 31)}, "INVALID", "expiresOn"),  # before it was issued
    ({"issued_on": None, "expires_on": TODAY - timedelta(days=1)}, "DOCUMENT_EXPIRED", "expiresOn"),
])
async def test_bad_documents_are_refused_naming_the_field(clock, supplier, changes, code, field) -> None:
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(await actor_of(PROCUREMENT), document(supplier, **changes), clock=clock)
    assert (error.value.code, error.value.field) == (code, field)


async def test_documents_for_unknown_or_rejected_suppliers_are_refused(clock, supplier) -> None:  # noqa: ANN001
    staff = await actor_of(ADMIN)
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(staff, document(supplier, supplier_id=uuid.uuid4()), clock=clock)
    assert (error.value.code, error.value.field) == ("NOT_FOUND", "supplierId")
    await suppliers.reject_supplier(staff, supplier.id, reason="no licence", clock=clock)
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(staff, document(supplier), clock=clock)
    assert (error.value.code, error.value.field) == ("SUPPLIER_REJECTED", "supplierId")


async def test_a_document_is_recorded_once(clock, supplier) -> None:  # noqa: ANN001
    staff, request, key = await actor_of(PROCUREMENT), document(supplier), f"doc-{uuid.uuid4()}"
    first = await docs.add_qualification_document(staff, request, clock=clock, idempotency_key=key)
    again = await docs.add_qualification_document(staff, request, clock=clock, idempotency_key=key)
    assert again.id == first.id
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(staff, request, clock=clock)
    assert (error.value.code, error.value.field) == ("DUPLICATE_DOCUMENT", "number")
    # The same number under another kind is another document.
    await docs.add_qualification_document(staff, replace(request, kind=Kind.ISO_14001), clock=clock)


async def test_a_supplier_has_a_bounded_number_of_documents(clock, supplier, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(docs, "MAX_DOCUMENTS_PER_SUPPLIER", 2)
    staff = await actor_of(PROCUREMENT)
    for _ in range(2):
        await docs.add_qualification_document(staff, document(supplier), clock=clock)
    with pytest.raises(DomainError) as error:
        await docs.add_qualification_document(staff, document(supplier), clock=clock)
    assert (error.value.code, error.value.field) == ("TOO_MANY_DOCUMENTS", "supplierId")


async def test_removing_a_document(clock, supplier) -> None:  # noqa: ANN001
    row = await docs.add_qualification_document(await admin_of(supplier), document(supplier), clock=clock)
    organization = await docs.remove_qualification_document(await admin_of(supplier), row.id, clock=clock)
    assert organization.id == supplier.id and not await QualificationDocument.filter(id=row.id).exists()
    assert await AuditEvent.filter(action="qualificationDocument.removed", subject_id=row.id,
                                   supplier_id=supplier.id).exists()
    with pytest.raises(DomainError) as error:
        await docs.remove_qualification_document(await actor_of(ADMIN), row.id, clock=clock)
    assert (error.value.code, error.value.field) == ("NOT_FOUND", "id")


@pytest.mark.parametrize("expires_on, within, include_expired, expiring", [
    (TODAY, 0, False, True),
    (TODAY + timedelta(days=30), 30, False, True),
    (TODAY + timedelta(days=31), 30, False, False),
    (TODAY - timedelta(days=1), 30, False, False),
    (TODAY - timedelta(days=1), 30, True, True),
    (None, 366, True, False),
])
def test_what_expiring_within_days_means(expires_on, within, include_expired, expiring) -> None:  # noqa: ANN001
    assert docs.is_expiring(expires_on, TODAY, within, include_expired=include_expired) is expiring


async def test_expiring_documents_for_the_reminders(clock, supplier) -> None:  # noqa: ANN001
    staff = await actor_of(PROCUREMENT)
    assert docs.business_today(clock) == TODAY
    soon = await docs.add_qualification_document(staff, document(supplier, expires_on=TODAY + timedelta(days=3)),
                                                 clock=clock)
    today = await docs.add_qualification_document(staff, document(supplier, expires_on=TODAY), clock=clock)
    await docs.add_qualification_document(staff, document(supplier, expires_on=TODAY + timedelta(days=40)),
                                          clock=clock)
    await docs.add_qualification_document(staff, document(supplier, expires_on=None), clock=clock)
    ours = [row for row in await docs.expiring_documents(30, clock) if row.organization_id == supplier.id]
    assert [row.id for row in ours] == [today.id, soon.id] and ours[0].organization.code == supplier.code
    later = FrozenClock(NOW + timedelta(days=1))  # `today` has expired by then
    ours = [row.id for row in await docs.expiring_documents(30, later) if row.organization_id == supplier.id]
    assert ours == [soon.id]
    ours = [row.id for row in await docs.expiring_documents(30, later, include_expired=True)
            if row.organization_id == supplier.id]
    assert ours == [today.id, soon.id]
    await suppliers.reject_supplier(staff, supplier.id, reason="gone", clock=clock)
    assert supplier.id not in {row.organization_id for row in await docs.expiring_documents(366, clock)}
    with pytest.raises(DomainError) as error:
        await docs.expiring_documents(367, clock)
    assert error.value.field == "withinDays"
