"""The Mutation fields of deadlines."""

from __future__ import annotations

import strawberry

from schema.deadlines.mutations.acknowledge import AcknowledgePayload, acknowledge
from schema.permissions import IsAuthenticated


@strawberry.type
class DeadlinesMutation:
    acknowledge: AcknowledgePayload = strawberry.mutation(
        resolver=acknowledge, permission_classes=[IsAuthenticated],
        description="A supplier's answer to an acknowledgement: accept (countersigns its document) or reject.")
