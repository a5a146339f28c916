"""`publishPlanRevision`: the plan's draft becomes revision n + 1, sent to every expected supplier."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from schema.filters import require_id
from schema.plans.mutations.create_production_plan import PlanLineInput, plan_lines
from schema.plans.types import PlanRevision, ProductionPlan
from workflows import planning


@strawberry.input
class PublishPlanRevisionInput:
    plan_id: strawberry.ID
    note: str = ""
    lines: list[PlanLineInput] | None = strawberry.field(
        default=None, description="replace the draft's lines with these before publishing")
    idempotency_key: str | None = strawberry.field(
        default=None, description="a retried request with the same key publishes nothing twice, and sends the "
                                  "signed copies a failed first attempt did not")


@strawberry.type
class PublishPlanRevisionPayload:
    plan: ProductionPlan | None = None
    revision: PlanRevision | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def publish_plan_revision(info: Info, input: PublishPlanRevisionInput) -> PublishPlanRevisionPayload:
    context = info.context
    actor = context.require_actor()
    lines = plan_lines(input.lines) if input.lines is not None else None

    async def run():  # noqa: ANN202
        documents = await context.document_service()
        return await planning.publish_plan_revision(
            actor, require_id(input.plan_id, "planId"), clock=context.clock, documents=documents, note=input.note,
            lines=lines, idempotency_key=input.idempotency_key)

    row, errors = await attempt(run())
    if row is None:
        return PublishPlanRevisionPayload(errors=errors)
    await row.fetch_related("plan")
    return PublishPlanRevisionPayload(plan=ProductionPlan.from_row(row.plan), revision=PlanRevision.from_row(row),
                                      errors=errors)
