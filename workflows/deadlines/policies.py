"""Escalation policies: when an acknowledgement is due, when to remind, whom to escalate to, and what happens last.

Each kind has one policy row, which admins edit; a kind without a row uses DEFAULT_POLICIES.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from domain.enums import AcknowledgementKind as AK
from domain.models import EscalationPolicy
from workflows.deadlines.calendar import load_calendar


@dataclass(frozen=True)
class Policy:
    due_hours: int | None = None
    due_working_days: int | None = None
    reminder_hours: tuple[int, ...] = (24, 2)
    escalation_steps: tuple[dict[str, Any], ...] = field(
        default=({"after_hours": 0, "to": "OWNER"}, {"after_hours": 24, "to": "MANAGER"}))
    final_action: str = "NONE"
    final_after_hours: int = 72

    @classmethod
    def of_row(cls, row: EscalationPolicy) -> Policy:
        """The policy an admin stored for a kind."""
        return cls(due_hours=row.due_hours, due_working_days=row.due_working_days,
                   reminder_hours=tuple(row.reminder_hours), escalation_steps=tuple(row.escalation_steps),
                   final_action=row.final_action, final_after_hours=row.final_after_hours)


DEFAULT_POLICIES: dict[AK, Policy] = {
    AK.PURCHASE_ORDER: Policy(due_hours=48),
    AK.CONTRACT: Policy(due_working_days=5, final_action="EXPIRE_OFFER"),
    AK.STATEMENT: Policy(due_working_days=10),
    AK.PLAN_REVISION: Policy(due_working_days=3, final_action="MARK_UNANSWERED"),
    AK.TENDER_BID: Policy(reminder_hours=(48, 4), escalation_steps=()),  # due when the tender closes
}


async def policy_for(kind: AK, connection=None) -> Policy:  # noqa: ANN001
    row = await EscalationPolicy.filter(kind=kind).using_db(connection).first()
    return DEFAULT_POLICIES[kind] if row is None else Policy.of_row(row)


async def policies_in_force(connection=None) -> dict[AK, Policy]:  # noqa: ANN001
    """Every kind's policy: the stored row, or the default (one query, for the scheduler's batches)."""
    policies = dict(DEFAULT_POLICIES)
    for row in await EscalationPolicy.all().using_db(connection):
        policies[AK(row.kind)] = Policy.of_row(row)
    return policies


async def due_time(policy: Policy, sent_at: datetime, connection=None) -> datetime:  # noqa: ANN001
    """When an acknowledgement sent at `sent_at` under `policy` is due."""
    if policy.due_working_days is not None:
        local_start = sent_at.date()
        calendar = await load_calendar(local_start, local_start + timedelta(days=policy.due_working_days * 3 + 30),
                                       connection)
        return calendar.add_working_days(sent_at, policy.due_working_days)
    return sent_at + timedelta(hours=policy.due_hours if policy.due_hours is not None else 48)


def first_action_time(policy: Policy, sent_at: datetime, due_at: datetime) -> datetime:
    """The scheduler's first look: the earliest reminder still ahead of `sent_at`, else the due time."""
    reminders = [due_at - timedelta(hours=h) for h in policy.reminder_hours if due_at - timedelta(hours=h) > sent_at]
    return min(reminders, default=due_at)
