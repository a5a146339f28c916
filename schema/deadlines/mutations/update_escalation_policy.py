"""`updateEscalationPolicy`: an admin replaces how one kind of acknowledgement is chased."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.deadlines.types import EscalationPolicy, EscalationTarget, FinalAction
from schema.enums import AcknowledgementKind
from schema.errors import UserError, attempt
from workflows.deadlines import policy_admin


@strawberry.input
class EscalationStepInput:
    after_hours: int = strawberry.field(description="Hours after the due time, no fewer than the step before.")
    to: EscalationTarget


@strawberry.input(description="Exactly one of `dueHours` and `dueWorkingDays` (neither for TENDER_BID).")
class UpdateEscalationPolicyInput:
    kind: AcknowledgementKind
    due_hours: int | None = None
    due_working_days: int | None = None
    reminder_hours: list[int] = strawberry.field(
        default_factory=list, description="Hours before the due time, distinct, each shorter than the due span.")
    escalation_steps: list[EscalationStepInput] = strawberry.field(default_factory=list)
    final_action: FinalAction = strawberry.field(
        default=FinalAction.NONE, description="EXPIRE_OFFER for CONTRACT only; MARK_UNANSWERED for PLAN_REVISION only.")
    final_after_hours: int = strawberry.field(default=72, description="No earlier than the last step.")


@strawberry.type
class EscalationPolicyPayload:
    policy: EscalationPolicy | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def update_escalation_policy(info: Info, input: UpdateEscalationPolicyInput) -> EscalationPolicyPayload:
    context = info.context
    change = policy_admin.PolicyChange(
        kind=input.kind, due_hours=input.due_hours, due_working_days=input.due_working_days,
        reminder_hours=tuple(input.reminder_hours),
        escalation_steps=tuple(policy_admin.EscalationStep(step.after_hours, step.to)
                               for step in input.escalation_steps),
        final_action=input.final_action, final_after_hours=input.final_after_hours,
    )
    view, errors = await attempt(policy_admin.update_escalation_policy(context.require_actor(), change,
                                                                       clock=context.clock))
    return EscalationPolicyPayload(policy=EscalationPolicy.from_view(view) if view else None, errors=errors)
