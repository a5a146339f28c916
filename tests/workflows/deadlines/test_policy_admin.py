"""Admins edit escalation policies: each refusal names its field and changes nothing; a change is audited and applies
to acknowledgements opened afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from domain.enums import AcknowledgementKind as AK
from domain.errors import DomainError
from domain.models import AuditEvent, EscalationPolicy
from tests.support import procurement as p
from workflows.deadlines.policies import DEFAULT_POLICIES, policy_for
from workflows.deadlines.policy_admin import (
    EscalationStep, EscalationTarget as T, FinalAction as F, PolicyChange, escalation_policies,
    update_escalation_policy,
)

pytestmark = pytest.mark.usefixtures("demo")


async def stored_policies() -> dict[str, dict]:
    return {row["kind"]: row for row in await EscalationPolicy.all().values()}


@pytest.fixture
async def restore_policies() -> AsyncIterator[None]:
    """Policies are global (the demo stores one per kind): put the rows back as they were for the other tests."""
    before = await stored_policies()
    yield
    await EscalationPolicy.all().delete()
    for values in before.values():
        await EscalationPolicy.create(**values)


def order_policy(**changes) -> PolicyChange:  # noqa: ANN003
    values = {"kind": AK.PURCHASE_ORDER, "due_hours": 36, "reminder_hours": (2, 12),
              "escalation_steps": (EscalationStep(0, T.OWNER), EscalationStep(12, T.MANAGER)),
              "final_after_hours": 48, **changes}
    return PolicyChange(**values)


def steps(*pairs: tuple[int, str]) -> tuple[EscalationStep, ...]:
    return tuple(EscalationStep(hours, to) for hours, to in pairs)


@pytest.mark.usefixtures("restore_policies")
async def test_an_admin_changes_a_policy_and_new_acknowledgements_follow_it() -> None:
    admin = await p.actor(p.ADMIN)
    view = await update_escalation_policy(admin, order_policy(), clock=p.clock())
    assert not view.is_default and view.policy.reminder_hours == (12, 2)  # stored in the order they fire
    stored = await policy_for(AK.PURCHASE_ORDER)
    assert (stored.due_hours, stored.reminder_hours, stored.final_after_hours) == (36, (12, 2), 48)
    assert stored.escalation_steps == ({"after_hours": 0, "to": "OWNER"}, {"after_hours": 12, "to": "MANAGER"})
    event = await AuditEvent.filter(action="escalation_policy.updated").order_by("-seq").first()
    assert event.actor_user_id == admin.user_id and event.data["kind"] == "PURCHASE_ORDER"
    assert event.data["before"]["due_hours"] == 48 and event.data["after"]["due_hours"] == 36

    order = await p.issued_order(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(order)
    assert ack.due_at - ack.created_at == timedelta(hours=36)


@pytest.mark.usefixtures("restore_policies")
async def test_every_kind_is_listed_with_its_row_or_its_default() -> None:
    await EscalationPolicy.filter(kind=AK.STATEMENT).delete()
    await update_escalation_policy(await p.actor(p.ADMIN), PolicyChange(
        kind=AK.CONTRACT, due_working_days=3, final_action=F.EXPIRE_OFFER, final_after_hours=24), clock=p.clock())
    views = {view.kind: view for view in await escalation_policies(await p.actor(p.AUDITOR))}
    assert list(views) == list(AK)
    assert not views[AK.CONTRACT].is_default and views[AK.CONTRACT].policy.due_working_days == 3
    assert views[AK.STATEMENT].is_default and views[AK.STATEMENT].policy == DEFAULT_POLICIES[AK.STATEMENT]
    assert await escalation_policies(await p.actor(p.SUPPLIER_A)) == []


@pytest.mark.usefixtures("restore_policies")
async def test_a_tender_invitation_has_no_due_span_of_its_own() -> None:
    view = await update_escalation_policy(await p.actor(p.ADMIN), PolicyChange(
        kind=AK.TENDER_BID, reminder_hours=(72, 24)), clock=p.clock())
    assert view.policy.due_hours is None and view.policy.due_working_days is None


@pytest.mark.parametrize(("change", "field"), [
    (order_policy(due_hours=None), "dueWorkingDays"),
    (order_policy(due_working_days=2), "dueHours"),
    (order_policy(due_hours=0), "dueHours"),
    (order_policy(due_hours=-4), "dueHours"),
    (order_policy(due_hours=24 * 91), "dueHours"),
    (order_policy(due_hours=None, due_working_days=0), "dueWorkingDays"),
    (order_policy(due_hours=None, due_working_days=61), "dueWorkingDays"),
    (order_policy(kind=AK.TENDER_BID, reminder_hours=()), "dueHours"),
    (order_policy(reminder_hours=(12, 2, 12)), "reminderHours[2]"),
    (order_policy(reminder_hours=(0,)), "reminderHours[0]"),
    (order_policy(reminder_hours=(-1,)), "reminderHours[0]"),
    (order_policy(reminder_hours=(2, 36)), "reminderHours[1]"),  # not before the due time
    (order_policy(due_hours=None, due_working_days=1, reminder_hours=(24,)), "reminderHours[0]"),
    (order_policy(reminder_hours=(1, 2, 3, 4, 5, 6)), "reminderHours"),
    (order_policy(escalation_steps=steps((12, "OWNER"), (6, "MANAGER"))), "escalationSteps[1].afterHours"),
    (order_policy(escalation_steps=steps((-1, "OWNER"))), "escalationSteps[0].afterHours"),
    (order_policy(escalation_steps=steps((0, "CEO"))), "escalationSteps[0].to"),
    (order_policy(escalation_steps=steps(*[(n, "OWNER") for n in range(6)])), "escalationSteps"),
    (order_policy(final_action=F.EXPIRE_OFFER), "finalAction"),
    (order_policy(final_action=F.MARK_UNANSWERED), "finalAction"),
    (order_policy(kind=AK.CONTRACT, final_action=F.MARK_UNANSWERED), "finalAction"),
    (order_policy(final_action="DELETE_EVERYTHING"), "finalAction"),
    (order_policy(final_after_hours=6), "finalAfterHours"),  # before the last step (12 h)
    (order_policy(final_after_hours=24 * 91), "finalAfterHours"),
])
async def test_refusals_name_the_field_and_change_nothing(change: PolicyChange, field: str) -> None:
    before = await stored_policies()
    with pytest.raises(DomainError) as refused:
        await update_escalation_policy(await p.actor(p.ADMIN), change, clock=p.clock())
    assert (refused.value.code, refused.value.field) == ("INVALID", field), refused.value.message
    assert await stored_policies() == before


@pytest.mark.parametrize("email", [p.PROCUREMENT, p.ACCOUNTING, p.AUDITOR, p.SUPPLIER_A])
async def test_only_admins_change_policies(email: str) -> None:
    before = await stored_policies()
    with pytest.raises(DomainError) as refused:
        await update_escalation_policy(await p.actor(email), order_policy(), clock=p.clock())
    assert refused.value.code == "PERMISSION_DENIED"
    assert await stored_policies() == before
