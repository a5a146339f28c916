"""Admins edit the escalation policy of each kind of acknowledgement; staff read them.

A policy change is one transaction with one audit event (`escalation_policy.updated`, with the policy before and
after). When it applies: a due time is computed once, when an acknowledgement is opened, so a new `dueHours` or
`dueWorkingDays` applies to acknowledgements opened afterwards; those already open keep their due time. The scheduler
reads the reminders, escalation steps and final action of the current policy each time it acts on a row.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import AcknowledgementKind as AK
from domain.errors import Conflict, ValidationFailed
from domain.models import EscalationPolicy
from workflows.audit import record_event
from workflows.deadlines.calendar_admin import require_admin
from workflows.deadlines.policies import DEFAULT_POLICIES, Policy

MAX_DUE_HOURS = 90 * 24
MAX_DUE_WORKING_DAYS = 60
MAX_REMINDERS = 5
MAX_STEPS = 5
MAX_AFTER_HOURS = 90 * 24  # escalation steps and the final action, after the due time
TENDER_REMINDER_LIMIT = 30 * 24  # a tender's bids are due when it closes: reminders are bounded by this instead


class EscalationTarget(StrEnum):
    """Whom an escalation step tells: the staff member who owns the document, or that person's manager."""

    OWNER = "OWNER"
    MANAGER = "MANAGER"


class FinalAction(StrEnum):
    """What happens last, `final_after_hours` after the due time."""

    NONE = "NONE"
    EXPIRE_OFFER = "EXPIRE_OFFER"  # the contract offer expires
    MARK_UNANSWERED = "MARK_UNANSWERED"  # the plan revision is marked unanswered


# Which final actions make sense for which kind (NONE always does).
FINAL_ACTION_KINDS: dict[FinalAction, frozenset[AK]] = {
    FinalAction.EXPIRE_OFFER: frozenset({AK.CONTRACT}),
    FinalAction.MARK_UNANSWERED: frozenset({AK.PLAN_REVISION}),
}


@dataclass(frozen=True)
class EscalationStep:
    after_hours: int
    to: EscalationTarget


@dataclass(frozen=True)
class PolicyChange:
    """An admin's new policy for `kind`. Exactly one of `due_hours` and `due_working_days` (neither for TENDER_BID,
    due when its tender closes). `reminder_hours` are hours before the due time, in any order."""

    kind: AK
    due_hours: int | None = None
    due_working_days: int | None = None
    reminder_hours: tuple[int, ...] = ()
    escalation_steps: tuple[EscalationStep, ...] = ()
    final_action: FinalAction = FinalAction.NONE
    final_after_hours: int = 72


@dataclass(frozen=True)
class PolicyView:
    """A kind's policy in force: its stored row, or the default (`is_default`, `updated_at` None)."""

    kind: AK
    policy: Policy
    is_default: bool
    updated_at: datetime | None


def _bounded(value: int, field: str, low: int, high: int) -> int:
    if not low <= value <= high:
        raise ValidationFailed(f"{field} must be between {low} and {high}", field=field)
    return value


def _due_span_hours(change: PolicyChange) -> int:
    """The shortest time between sending and the due time, which every reminder must fit in."""
    if change.due_hours is not None:
        return change.due_hours
    if change.due_working_days is not None:
        return change.due_working_days * 24  # consecutive working days: no weekend or holiday in between
    return TENDER_REMINDER_LIMIT


def _checked_due(change: PolicyChange) -> None:
    if change.kind is AK.TENDER_BID:
        for value, field in ((change.due_hours, "dueHours"), (change.due_working_days, "dueWorkingDays")):
            if value is not None:
                raise ValidationFailed("a tender's bids are due when the tender closes: leave dueHours and "
                                       "dueWorkingDays out", field=field)
        return
    if (change.due_hours is None) == (change.due_working_days is None):
        raise ValidationFailed("give exactly one of dueHours and dueWorkingDays",
                               field="dueHours" if change.due_hours is not None else "dueWorkingDays")
    if change.due_hours is not None:
        _bounded(change.due_hours, "dueHours", 1, MAX_DUE_HOURS)
    else:
        _bounded(change.due_working_days, "dueWorkingDays", 1, MAX_DUE_WORKING_DAYS)


def _checked_reminders(change: PolicyChange) -> tuple[int, ...]:
    """The reminders, distinct, each within the due span, stored in the order they fire (farthest first)."""
    if len(change.reminder_hours) > MAX_REMINDERS:
        raise ValidationFailed(f"at most {MAX_REMINDERS} reminders", field="reminderHours")
    span = _due_span_hours(change)
    seen: set[int] = set()
    for index, hours in enumerate(change.reminder_hours):
        field = f"reminderHours[{index}]"
        if hours in seen:
            raise ValidationFailed(f"{hours} hours before the due time is already a reminder", field=field)
        seen.add(hours)
        if not 1 <= hours < span:
            raise ValidationFailed(f"a reminder is 1 to {span - 1} hours before the due time (the due span is "
                                   f"{span} hours)", field=field)
    return tuple(sorted(seen, reverse=True))


def _checked_steps(change: PolicyChange) -> tuple[dict[str, Any], ...]:
    if len(change.escalation_steps) > MAX_STEPS:
        raise ValidationFailed(f"at most {MAX_STEPS} escalation steps", field="escalationSteps")
    previous = 0
    for index, step in enumerate(change.escalation_steps):
        field = f"escalationSteps[{index}]"
        _bounded(step.after_hours, f"{field}.afterHours", 0, MAX_AFTER_HOURS)
        if step.after_hours < previous:
            raise ValidationFailed(f"a step comes no earlier than the one before it ({previous} hours)",
                                   field=f"{field}.afterHours")
        previous = step.after_hours
        if step.to not in set(EscalationTarget):
            raise ValidationFailed("a step escalates to OWNER or MANAGER", field=f"{field}.to")
    return tuple({"after_hours": step.after_hours, "to": EscalationTarget(step.to).value}
                 for step in change.escalation_steps)


def _checked_final(change: PolicyChange) -> None:
    if change.final_action not in set(FinalAction):
        raise ValidationFailed("unknown final action", field="finalAction")
    action = FinalAction(change.final_action)
    if action is not FinalAction.NONE and change.kind not in FINAL_ACTION_KINDS[action]:
        allowed = ", ".join(sorted(kind.value for kind in FINAL_ACTION_KINDS[action]))
        raise ValidationFailed(f"{action.value} applies only to {allowed}", field="finalAction")
    _bounded(change.final_after_hours, "finalAfterHours", 0, MAX_AFTER_HOURS)
    last_step = change.escalation_steps[-1].after_hours if change.escalation_steps else 0
    if change.final_after_hours < last_step:
        raise ValidationFailed(f"the final action comes no earlier than the last escalation step ({last_step} hours)",
                               field="finalAfterHours")


def validated_policy(change: PolicyChange) -> Policy:
    """The policy `change` describes, or ValidationFailed naming the first wrong input field."""
    if change.kind not in set(AK):
        raise ValidationFailed("unknown kind of acknowledgement", field="kind")
    _checked_due(change)
    reminders = _checked_reminders(change)
    steps = _checked_steps(change)
    _checked_final(change)
    return Policy(due_hours=change.due_hours, due_working_days=change.due_working_days, reminder_hours=reminders,
                  escalation_steps=steps, final_action=FinalAction(change.final_action).value,
                  final_after_hours=change.final_after_hours)


def _as_data(policy: Policy) -> dict[str, Any]:
    data = asdict(policy)
    data["reminder_hours"], data["escalation_steps"] = list(policy.reminder_hours), list(policy.escalation_steps)
    return data


async def escalation_policies(actor: Actor) -> list[PolicyView]:
    """Every kind's policy in force (stored or default), in the kinds' order; nothing for anyone but buyer staff."""
    if not actor.is_staff:
        return []
    rows = {AK(row.kind): row for row in await EscalationPolicy.all()}
    return [PolicyView(kind, Policy.of_row(rows[kind]), False, rows[kind].updated_at) if kind in rows
            else PolicyView(kind, DEFAULT_POLICIES[kind], True, None) for kind in AK]


async def update_escalation_policy(actor: Actor, change: PolicyChange, *, clock: Clock) -> PolicyView:
    """Replace the policy of `change.kind`. Refuses PERMISSION_DENIED (admins only), INVALID naming the input field,
    and CONFLICT when another admin created the same kind's row at the same moment."""
    require_admin(actor, "change an escalation policy")
    policy = validated_policy(change)
    now = clock.now()
    values = {"due_hours": policy.due_hours, "due_working_days": policy.due_working_days,
              "reminder_hours": list(policy.reminder_hours), "escalation_steps": list(policy.escalation_steps),
              "final_action": policy.final_action, "final_after_hours": policy.final_after_hours}
    try:
        async with in_transaction() as connection:
            row = await EscalationPolicy.filter(kind=change.kind).using_db(connection).select_for_update().first()
            before = _as_data(Policy.of_row(row) if row else DEFAULT_POLICIES[change.kind])
            if row is None:
                row = await EscalationPolicy.create(kind=change.kind, created_at=now, using_db=connection, **values)
            else:
                row.update_from_dict(values)
                await row.save(using_db=connection)
            await record_event(connection, at=now, actor=actor, action="escalation_policy.updated",
                               subject_type="EscalationPolicy", subject_id=row.id,
                               data={"kind": change.kind.value, "before": before, "after": _as_data(policy)})
    except IntegrityError:
        raise Conflict(f"the {change.kind.value} policy was changed by someone else at the same moment: try again",
                       field="kind") from None
    return PolicyView(change.kind, policy, False, row.updated_at)
