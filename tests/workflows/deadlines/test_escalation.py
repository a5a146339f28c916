"""The deadline scheduler's steps: each policy step fires once and in order, catches up without flooding, and stops
when the supplier answers or the document is withdrawn.

The demo world's acknowledgements live around the real "now"; these tests work in 2021 (`ERA`), before any of them, so
the scheduler only finds the rows a test made. Each test leaves no row of its own due for the next one.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.clock import FrozenClock
from domain.enums import AcknowledgementKind as AK, AcknowledgementStatus as AS, ContractStatus, OutboxChannel
from domain.models import (
    Acknowledgement, AuditEvent, Contract, EscalationPolicy, Notification, OutboxMessage, User,
)
from tests.support import procurement as p
from workflows import ordering
from workflows.audit import verify_chain
from workflows.deadlines.acknowledgements import acknowledge
from workflows.deadlines.escalation import Step, plan_step, plan_steps, run_deadlines
from workflows.deadlines.policies import Policy

pytestmark = pytest.mark.usefixtures("demo")

ERA = datetime(2021, 3, 1, 1, 0, tzinfo=UTC)  # a Monday, 09:00 in Shanghai
ERA_END = datetime(2022, 1, 1, tzinfo=UTC)

ORDER_POLICY = Policy(due_hours=48, reminder_hours=(24, 2),
                      escalation_steps=({"after_hours": 0, "to": "OWNER"}, {"after_hours": 24, "to": "MANAGER"}))
CONTRACT_POLICY = Policy(due_hours=120, reminder_hours=(24,), escalation_steps=({"after_hours": 0, "to": "OWNER"},),
                         final_action="EXPIRE_OFFER", final_after_hours=72)


@pytest.fixture(autouse=True)
async def quiet_era():  # noqa: ANN201
    """Nothing of an earlier test is left due in the era, and orders and contracts follow the policies above."""
    await Acknowledgement.filter(created_at__lt=ERA_END).update(next_action_at=None)
    stored = {row.kind: row for row in await EscalationPolicy.filter(kind__in=[AK.PURCHASE_ORDER, AK.CONTRACT])}
    for kind, policy in ((AK.PURCHASE_ORDER, ORDER_POLICY), (AK.CONTRACT, CONTRACT_POLICY)):
        await EscalationPolicy.update_or_create(kind=kind, defaults={
            "due_hours": policy.due_hours, "due_working_days": None, "reminder_hours": list(policy.reminder_hours),
            "escalation_steps": list(policy.escalation_steps), "final_action": policy.final_action,
            "final_after_hours": policy.final_after_hours})
    yield
    await Acknowledgement.filter(created_at__lt=ERA_END).update(next_action_at=None)
    for kind in (AK.PURCHASE_ORDER, AK.CONTRACT):
        if kind in stored:
            await stored[kind].save(force_update=True)
        else:
            await EscalationPolicy.filter(kind=kind).delete()


def step_at(policy: Policy, at: datetime, *, status: AS = AS.PENDING, reminders: int = 0, level: int = 0,
            kind: AK = AK.PURCHASE_ORDER) -> Step:
    return plan_step(policy, kind, status=status, sent_at=ERA, due_at=ERA + timedelta(hours=48),
                     reminders_sent=reminders, escalation_level=level, now=at)


DUE = ERA + timedelta(hours=48)


@pytest.mark.parametrize(("at", "state", "expected"), [
    # before the first reminder: nothing, look again at the first reminder
    (ERA + timedelta(hours=1), {}, Step("none", AS.PENDING, 0, 0, DUE - timedelta(hours=24))),
    (DUE - timedelta(hours=24), {}, Step("remind", AS.PENDING, 0, 1, DUE - timedelta(hours=2))),
    (DUE - timedelta(hours=2), {"reminders": 1}, Step("remind", AS.PENDING, 0, 2, DUE)),
    # after downtime, both reminders due: one reminder, not two
    (DUE - timedelta(hours=1), {}, Step("remind", AS.PENDING, 0, 2, DUE)),
    (DUE, {"reminders": 2}, Step("overdue", AS.OVERDUE, 0, 2, DUE)),
    (DUE, {"status": AS.OVERDUE}, Step("escalate", AS.ESCALATED, 1, 0, DUE + timedelta(hours=24), ("OWNER",))),
    (DUE + timedelta(hours=24), {"status": AS.ESCALATED, "level": 1},
     Step("escalate", AS.ESCALATED, 2, 0, None, ("MANAGER",))),
    # both steps due at once: one escalation, to both
    (DUE + timedelta(hours=30), {"status": AS.OVERDUE},
     Step("escalate", AS.ESCALATED, 2, 0, None, ("OWNER", "MANAGER"))),
    (DUE + timedelta(hours=90), {"status": AS.ESCALATED, "level": 2}, Step("none", AS.ESCALATED, 2, 0, None)),
    # a bidding deadline is settled by the tender's closing, never chased after it
    (DUE, {"kind": AK.TENDER_BID}, Step("none", AS.PENDING, 0, 0, None)),
])
def test_each_step_of_a_policy_in_turn(at: datetime, state: dict, expected: Step) -> None:
    assert step_at(ORDER_POLICY, at, **state) == expected


def test_a_week_offline_catches_up_in_three_actions_not_twenty() -> None:
    ack = Acknowledgement(kind=AK.CONTRACT, status=AS.PENDING, created_at=ERA, due_at=ERA + timedelta(hours=120),
                          reminders_sent=0, escalation_level=0, next_action_at=ERA + timedelta(hours=96))
    steps = plan_steps(CONTRACT_POLICY, ack, ERA + timedelta(days=14))
    assert [s.action for s in steps] == ["overdue", "escalate", "expire"]
    assert steps[-1].status is AS.CANCELLED and steps[-1].next_action_at is None


async def era_acknowledgement(subject_id: uuid.UUID, number: str, *, kind: AK = AK.PURCHASE_ORDER,
                              due_hours: int = 48, sent_at: datetime = ERA) -> Acknowledgement:
    """An open acknowledgement sent in the era, owned by procurement (whose manager is the admin)."""
    owner = await User.get(email=p.PROCUREMENT)
    supplier = await p.supplier("SUP-A")
    due = sent_at + timedelta(hours=due_hours)
    return await Acknowledgement.create(
        kind=kind, subject_type="Contract" if kind is AK.CONTRACT else "PurchaseOrder", subject_id=subject_id,
        subject_number=number, supplier=supplier, owner=owner, due_at=due, created_at=sent_at,
        next_action_at=due - timedelta(hours=24))


async def supplier_emails(code: str) -> list[str]:
    return sorted(await User.filter(organization__code=code, is_active=True).values_list("email", flat=True))


async def actions_of(ack: Acknowledgement) -> list[str]:
    return [e.action for e in await AuditEvent.filter(subject_id=ack.id).order_by("seq")]


async def test_an_unanswered_order_is_reminded_made_overdue_and_escalated_each_step_once() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await era_acknowledgement(order.id, order.number)
    clock = FrozenClock(ERA + timedelta(hours=24))
    seen: list[str] = []
    for hours in (24, 24, 46, 47, 48, 60, 72, 72, 200):
        clock = FrozenClock(ERA + timedelta(hours=hours))
        report = await run_deadlines(clock)
        seen.extend(sorted(report.actions))
    assert await actions_of(ack) == [
        "acknowledgement.remind", "acknowledgement.remind", "acknowledgement.overdue", "acknowledgement.escalate",
        "acknowledgement.escalate"]
    assert seen == ["remind", "remind", "escalate", "overdue", "escalate"]  # at 48 h: overdue, escalated at once
    row = await Acknowledgement.get(id=ack.id)
    assert (row.status, row.escalation_level, row.reminders_sent, row.next_action_at) == (AS.ESCALATED, 2, 2, None)

    notes = await Notification.filter(subject_id=order.id, created_at__lt=ERA_END).order_by("created_at", "kind") \
        .prefetch_related("user")
    by_kind: dict[str, list[str]] = {}
    for note in notes:
        by_kind.setdefault(note.kind, []).append(note.user.email)
    supplier_users = await supplier_emails("SUP-A")
    assert p.SUPPLIER_A in supplier_users
    assert sorted(by_kind["acknowledgement.reminder"]) == sorted(supplier_users * 2)
    assert sorted(by_kind["acknowledgement.overdue"]) == supplier_users
    assert sorted(by_kind["acknowledgement.escalated"]) == sorted([p.PROCUREMENT, p.ADMIN])  # owner, then manager
    mails = await OutboxMessage.filter(channel=OutboxChannel.EMAIL, idempotency_key__startswith=f"ack:{ack.id}:")
    assert sorted(m.recipient for m in mails) == sorted(supplier_users * 3 + [p.PROCUREMENT, p.ADMIN])
    assert all("/" in m.payload["subject"] and "———" in m.payload["text"] for m in mails)  # both languages
    assert (await verify_chain())[0]


async def test_a_second_run_at_the_same_time_does_nothing() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await era_acknowledgement(order.id, order.number)
    clock = FrozenClock(ERA + timedelta(hours=49))
    first = await run_deadlines(clock)
    assert first.actions == {"overdue": 1, "escalate": 1}
    again = await run_deadlines(clock)
    assert again.total == 0
    assert len(await actions_of(ack)) == 2


async def test_an_answer_just_before_the_deadline_stops_the_chase() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    await Acknowledgement.filter(subject_id=order.id).update(status=AS.CANCELLED, next_action_at=None)
    ack = await era_acknowledgement(order.id, order.number)
    await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, reason="交期无法满足 / cannot meet the date",
                      clock=FrozenClock(ERA + timedelta(hours=47, minutes=59)))
    report = await run_deadlines(FrozenClock(ERA + timedelta(days=10)))
    assert report.total == 0
    assert (await Acknowledgement.get(id=ack.id)).status == AS.REJECTED
    assert "acknowledgement.overdue" not in await actions_of(ack)


async def test_a_withdrawn_order_cancels_its_acknowledgement_and_nothing_more_is_sent() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    await Acknowledgement.filter(subject_id=order.id).update(created_at=ERA, due_at=ERA + timedelta(hours=48),
                                                             next_action_at=ERA + timedelta(hours=24))
    await ordering.cancel_purchase_order(await p.actor(p.PROCUREMENT), order.id, reason="需求取消 / demand cancelled",
                                         clock=p.clock())
    report = await run_deadlines(FrozenClock(ERA + timedelta(days=10)))
    assert report.total == 0
    assert (await Acknowledgement.get(subject_id=order.id)).status == AS.CANCELLED


async def test_a_contract_offer_left_unanswered_expires_after_its_escalation() -> None:
    contract = await p.issued_contract(await p.unsigned_documents())
    await Acknowledgement.filter(subject_id=contract.id).update(status=AS.CANCELLED, next_action_at=None)
    ack = await era_acknowledgement(contract.id, contract.number, kind=AK.CONTRACT, due_hours=120)
    report = await run_deadlines(FrozenClock(ERA + timedelta(days=30)))
    assert report.actions == {"overdue": 1, "escalate": 1, "expire": 1}
    assert (await Contract.get(id=contract.id)).status == ContractStatus.EXPIRED
    assert (await Acknowledgement.get(id=ack.id)).status == AS.CANCELLED
    expired = await Notification.filter(subject_id=contract.id, kind="acknowledgement.expired").prefetch_related("user")
    assert sorted(n.user.email for n in expired) == sorted([p.PROCUREMENT, *await supplier_emails("SUP-A")])


async def test_an_answer_that_races_the_expiry_wins_or_loses_whole() -> None:
    """The contract signed meanwhile: the scheduler leaves it signed and only closes the chase."""
    contract = await p.signed_contract(await p.unsigned_documents())
    ack = await era_acknowledgement(contract.id, contract.number, kind=AK.CONTRACT, due_hours=120)
    await run_deadlines(FrozenClock(ERA + timedelta(days=30)))
    assert (await Contract.get(id=contract.id)).status == ContractStatus.SIGNED
    assert (await Acknowledgement.get(id=ack.id)).next_action_at is None


async def test_a_row_that_cannot_be_written_fails_alone_and_the_rest_of_its_batch_is_taken() -> None:
    orders = [await p.issued_order(await p.unsigned_documents()) for _ in range(2)]
    good, bad = [await era_acknowledgement(order.id, order.number) for order in orders]
    user = await User.get(email=p.SUPPLIER_A)
    # The bad row's first reminder was somehow told already: writing its notice again breaks the unique key.
    await Notification.create(user=user, kind="acknowledgement.reminder", title="told before", created_at=ERA,
                              key=f"ack:{bad.id}:remind:1:{user.id}")
    report = await run_deadlines(FrozenClock(ERA + timedelta(hours=24)))
    assert report.actions == {"remind": 1} and report.failed == [bad.id]
    assert await actions_of(good) == ["acknowledgement.remind"] and await actions_of(bad) == []
    row = await Acknowledgement.get(id=bad.id)  # untouched, tried again next run
    assert (row.reminders_sent, row.next_action_at) == (0, bad.next_action_at)
    assert await Notification.filter(key__startswith=f"ack:{bad.id}:").count() == 1
    assert (await verify_chain())[0]


PLAN_POLICY = Policy(due_hours=48, reminder_hours=(), escalation_steps=({"after_hours": 0, "to": "OWNER"},),
                     final_action="MARK_UNANSWERED", final_after_hours=24)


def test_a_plan_revision_left_unanswered_is_marked_so_once_and_stays_open() -> None:
    after = DUE + timedelta(hours=30)
    step = step_at(PLAN_POLICY, after, status=AS.ESCALATED, level=1, kind=AK.PLAN_REVISION)
    assert step == Step("unanswered", AS.ESCALATED, 1, 0, None)


def test_only_a_contract_can_expire_any_other_kind_is_marked_unanswered() -> None:
    policy = Policy(due_hours=48, reminder_hours=(), escalation_steps=(), final_action="EXPIRE_OFFER",
                    final_after_hours=0)
    assert step_at(policy, DUE, status=AS.OVERDUE).action == "unanswered"
    assert step_at(policy, DUE, status=AS.OVERDUE, kind=AK.CONTRACT).action == "expire"


async def test_the_server_process_runs_the_scheduler_until_it_stops(settings) -> None:  # noqa: ANN001
    import asyncio
    from dataclasses import replace

    from api.documents import DocumentServices
    from api.scheduler import ServerScheduler

    order = await p.issued_order(await p.unsigned_documents())
    ack = await era_acknowledgement(order.id, order.number)
    clock = FrozenClock(ERA + timedelta(hours=25))
    scheduler = ServerScheduler(replace(settings, scheduler_seconds=1), clock,
                                DocumentServices(settings, clock))
    scheduler.start()
    try:
        for _ in range(100):
            if (await Acknowledgement.get(id=ack.id)).reminders_sent:
                break
            await asyncio.sleep(0.05)
    finally:
        await scheduler.stop()
    assert await actions_of(ack) == ["acknowledgement.remind"]
