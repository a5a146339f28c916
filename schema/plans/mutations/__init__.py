"""The Mutation fields of production plans."""

from __future__ import annotations

import strawberry

from schema.permissions import IsAuthenticated
from schema.plans.mutations.commit_to_plan import CommitToPlanPayload, commit_to_plan
from schema.plans.mutations.create_production_plan import CreateProductionPlanPayload, create_production_plan
from schema.plans.mutations.publish_plan_revision import PublishPlanRevisionPayload, publish_plan_revision


@strawberry.type
class PlansMutation:
    create_production_plan: CreateProductionPlanPayload = strawberry.mutation(
        resolver=create_production_plan, permission_classes=[IsAuthenticated],
        description="Procurement: a DRAFT plan and its draft revision, from `lines` or from an ERP's `csv` export.")
    publish_plan_revision: PublishPlanRevisionPayload = strawberry.mutation(
        resolver=publish_plan_revision, permission_classes=[IsAuthenticated],
        description="Procurement: publish the draft as revision n + 1 (immutable), sending each expected supplier "
                    "its signed copy and an acknowledgement.")
    commit_to_plan: CommitToPlanPayload = strawberry.mutation(
        resolver=commit_to_plan, permission_classes=[IsAuthenticated],
        description="A supplier commits capacity (quantity >= 0, note) against lines of the latest revision that "
                    "expect it.")
