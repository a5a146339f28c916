"""The transition tables: every transition from every status, who may take it, and concurrent changes."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.enums import OrgKind, Role, TenderStatus
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied
from domain.models import AuditEvent, Tender, User
from workflows import transitions as tt

pytestmark = pytest.mark.usefixtures("demo")

NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
SUPPLIER_ORG = uuid.uuid4()
OTHER_SUPPLIER_ORG = uuid.uuid4()
BUYER_ORG = uuid.uuid4()


def staff(*roles: Role) -> Actor:
    return Actor(uuid.uuid4(), BUYER_ORG, OrgKind.BUYER, frozenset(roles))


def supplier(org: uuid.UUID = SUPPLIER_ORG) -> Actor:
    return Actor(uuid.uuid4(), org, OrgKind.SUPPLIER, frozenset({Role.SUPPLIER_USER}))


def record(table: tt.TransitionTable, status: str) -> SimpleNamespace:
    return SimpleNamespace(**{table.status_field: status, "supplier_id": SUPPLIER_ORG, "number": "X-1", "pk": 1})


def an_allowed_actor(transition: tt.Transition) -> Actor | None:
    if transition.supplier:
        return supplier()
    if transition.roles:
        return staff(*transition.roles)
    return None  # the system


def statuses(table: tt.TransitionTable) -> list[str]:
    field = table.model._meta.fields_map[table.status_field]
    return [member.value for member in field.enum_type]


CASES = [
    (table, name, status)
    for table in tt.TABLES for name in table.transitions for status in statuses(table)
]


@pytest.mark.parametrize(("table", "name", "status"), CASES,
                         ids=[f"{t.subject_type}.{n}.from_{s}" for t, n, s in CASES])
def test_a_transition_is_allowed_exactly_from_its_source_states(table: tt.TransitionTable, name: str,
                                                                  status: str) -> None:
    transition = table[name]
    subject = record(table, status)
    if status in transition.sources:
        assert tt.check(table, subject, name, an_allowed_actor(transition)) is transition
    else:
        with pytest.raises(IllegalTransition) as refused:
            tt.check(table, subject, name, an_allowed_actor(transition))
        assert refused.value.field == "id" and name.replace("_", " ") in refused.value.message


TRANSITIONS = [(table, name) for table in tt.TABLES for name in table.transitions]


@pytest.mark.parametrize(("table", "name"), TRANSITIONS, ids=[f"{t.subject_type}.{n}" for t, n in TRANSITIONS])
def test_only_the_declared_party_may_take_a_transition(table: tt.TransitionTable, name: str) -> None:
    transition = table[name]
    subject = record(table, next(iter(transition.sources)))
    others = [staff(role) for role in (Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN, Role.AUDITOR)
              if role not in transition.roles]
    if not transition.supplier:
        others.append(supplier())
    for actor in others:
        with pytest.raises((PermissionDenied, NotFound)):
            tt.check(table, subject, name, actor)
    if not transition.system:
        with pytest.raises(PermissionDenied):
            tt.check(table, subject, name, None)
    if transition.supplier:
        # Another supplier's record is not found, never "forbidden": it must not learn the record exists.
        with pytest.raises(NotFound):
            tt.check(table, subject, name, supplier(OTHER_SUPPLIER_ORG))


def test_auditors_take_no_transition_at_all() -> None:
    auditor = staff(Role.AUDITOR)
    for table, name in TRANSITIONS:
        transition = table[name]
        with pytest.raises((PermissionDenied, NotFound)):
            tt.check(table, record(table, next(iter(transition.sources))), name, auditor)


def test_every_target_is_a_status_of_its_table() -> None:
    for table in tt.TABLES:
        known = set(statuses(table))
        for name, transition in table.transitions.items():
            assert transition.target in known and transition.sources <= known, (table.subject_type, name)


async def real_staff() -> Actor:
    user = await User.get(email="procurement@buyer.example")
    return Actor(user.id, user.organization_id, OrgKind.BUYER, frozenset({Role.PROCUREMENT}), user.email)


async def new_tender() -> Tender:
    owner = await User.get(email="procurement@buyer.example")
    return await Tender.create(number=f"T-{uuid.uuid4().hex[:10]}", title="transition test",
                               closes_at=NOW + timedelta(days=3), owner=owner)


async def test_apply_writes_status_stamp_and_one_audit_event() -> None:
    tender = await new_tender()
    actor = await real_staff()
    async with in_transaction() as connection:
        await tt.apply(connection, tt.TENDER, tender, "publish", actor=actor, at=NOW, data={"note": "go"})
    stored = await Tender.get(id=tender.id)
    assert stored.status == TenderStatus.PUBLISHED == tender.status
    assert stored.published_at == NOW
    events = await AuditEvent.filter(subject_id=tender.id)
    assert [(e.action, e.data) for e in events] == [
        ("tender.publish", {"from": "DRAFT", "to": "PUBLISHED", "note": "go"})]


async def test_a_stale_record_is_a_conflict_and_changes_nothing() -> None:
    tender = await new_tender()
    stale = await Tender.get(id=tender.id)
    actor = await real_staff()
    async with in_transaction() as connection:
        await tt.apply(connection, tt.TENDER, tender, "publish", actor=actor, at=NOW)
    with pytest.raises(Conflict):
        async with in_transaction() as connection:
            # `stale` still believes the tender is a draft: cancelling it from there must not overwrite PUBLISHED.
            await tt.apply(connection, tt.TENDER, stale, "cancel", actor=actor, at=NOW, changes={"cancel_reason": "x"})
    stored = await Tender.get(id=tender.id)
    assert stored.status == TenderStatus.PUBLISHED and stored.cancel_reason == ""
    assert await AuditEvent.filter(subject_id=tender.id).count() == 1


async def test_an_expectation_that_no_longer_holds_is_a_conflict() -> None:
    tender = await new_tender()
    with pytest.raises(Conflict):
        async with in_transaction() as connection:
            await tt.apply(connection, tt.TENDER, tender, "publish", actor=await real_staff(), at=NOW,
                           expect={"title": "not its title"})
    assert (await Tender.get(id=tender.id)).status == TenderStatus.DRAFT
