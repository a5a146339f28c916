"""`createProductionPlan`: a DRAFT plan with its draft revision, from typed lines or from an ERP's CSV export."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import strawberry

from domain.actors import Actor
from domain.errors import ValidationFailed
from schema.context import Info
from schema.errors import UserError, attempt, user_error
from schema.filters import optional_id
from schema.plans.types import ProductionPlan
from workflows import planning
from workflows.plan_import import PlanCsvInvalid, import_plan_csv
from workflows.plan_lines import DEFAULT_UNIT, PlanLineInput as Line


@strawberry.input(description="One item, plant and ISO week of demand, and the supplier expected to make it.")
class PlanLineInput:
    item_code: str
    item_name: str
    plant: str
    week: str = strawberry.field(description="ISO week, e.g. 2026-W49")
    quantity: Decimal
    unit: str = DEFAULT_UNIT
    expected_supplier_id: strawberry.ID | None = strawberry.field(default=None, description="null: to be assigned")


def plan_lines(lines: list[PlanLineInput]) -> list[Line]:
    return [Line(line.item_code, line.item_name, line.plant, line.week, line.quantity, line.unit,
                 optional_id(line.expected_supplier_id, f"lines[{index}].expectedSupplierId"))
            for index, line in enumerate(lines)]


@strawberry.input
class CreateProductionPlanInput:
    title: str
    lines: list[PlanLineInput] | None = strawberry.field(default=None, description="the lines; or give `csv`")
    csv: str | None = strawberry.field(
        default=None, description="instead of `lines`: the plan as an ERP exports it, as CSV text with a header row "
                                  "(item code, item name, plant, week or date, quantity; optional unit and supplier "
                                  "code; English or Chinese headers). Errors name their row and column, "
                                  "e.g. `csv[3].quantity`; nothing is imported unless every row is valid.")
    horizon_start: date | None = strawberry.field(default=None, description="default: the Monday of the first week")
    horizon_end: date | None = strawberry.field(default=None, description="default: the Sunday of the last week")
    idempotency_key: str | None = strawberry.field(
        default=None, description="a retried request with the same key returns the first one's plan")


@strawberry.type
class CreateProductionPlanPayload:
    plan: ProductionPlan | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def _lines_of(input: CreateProductionPlanInput, actor: Actor) -> list[Line]:
    if (input.lines is None) == (input.csv is None):
        raise ValidationFailed("give the plan's lines or its CSV, one of the two", field="lines")
    if input.csv is not None:
        return list(await import_plan_csv(input.csv, actor))
    return plan_lines(input.lines or [])


async def create_production_plan(info: Info, input: CreateProductionPlanInput) -> CreateProductionPlanPayload:
    context = info.context
    actor = context.require_actor()
    csv_problems: list[ValidationFailed] = []

    async def run():  # noqa: ANN202
        try:
            lines = await _lines_of(input, actor)
        except PlanCsvInvalid as failure:
            csv_problems.extend(failure.problems)
            raise
        return await planning.create_production_plan(
            actor, input.title, lines, clock=context.clock, horizon_start=input.horizon_start,
            horizon_end=input.horizon_end, idempotency_key=input.idempotency_key)

    row, errors = await attempt(run())
    if csv_problems:  # every row's errors, not just the summary
        errors = [user_error(problem) for problem in csv_problems]
    return CreateProductionPlanPayload(plan=ProductionPlan.from_row(row) if row else None, errors=errors)
