"""The Mutation fields of deadlines."""

from __future__ import annotations

import strawberry

from schema.deadlines.mutations.acknowledge import AcknowledgePayload, acknowledge
from schema.deadlines.mutations.calendar_days import (
    DeleteCalendarDayPayload, SetCalendarDayPayload, delete_calendar_day, set_calendar_day,
)
from schema.deadlines.mutations.update_escalation_policy import EscalationPolicyPayload, update_escalation_policy
from schema.permissions import IsAuthenticated


@strawberry.type
class DeadlinesMutation:
    acknowledge: AcknowledgePayload = strawberry.mutation(
        resolver=acknowledge, permission_classes=[IsAuthenticated],
        description="A supplier's answer to an acknowledgement: accept (countersigns its document) or reject.")
    update_escalation_policy: EscalationPolicyPayload = strawberry.mutation(
        resolver=update_escalation_policy, permission_classes=[IsAuthenticated],
        description="Admins: replace a kind's escalation policy. A new due time applies to acknowledgements opened "
                    "afterwards.")
    set_calendar_day: SetCalendarDayPayload = strawberry.mutation(
        resolver=set_calendar_day, permission_classes=[IsAuthenticated],
        description="Admins: make a day a working day or not, whatever the holidays package says.")
    delete_calendar_day: DeleteCalendarDayPayload = strawberry.mutation(
        resolver=delete_calendar_day, permission_classes=[IsAuthenticated],
        description="Admins: remove a day's override; the holidays package (or the weekday) applies again.")
