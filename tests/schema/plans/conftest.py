"""Fixtures and documents of the production plan mutation tests."""

from __future__ import annotations

from decimal import Decimal

from domain.models import PlanLine, PlanRevision, ProductionPlan
from workflows import planning
from workflows.plan_lines import PlanLineInput

from tests.support.procurement import PROCUREMENT, actor, clock, signing_api, supplier, unsigned_documents  # noqa: F401

ERRORS = "errors { code message field }"
PLAN_FIELDS = "id number title status horizonStart horizonEnd"
REVISION_FIELDS = "id revision note publishedAt lines { id lineNo itemCode week quantity unit " \
                  "expectedSupplier { code } }"


async def plan_line(item: str, week: str, quantity: str, supplier_code: str | None = "SUP-A") -> PlanLineInput:
    supplier_id = (await supplier(supplier_code)).id if supplier_code else None
    return PlanLineInput(item, f"{item} 零件 / part {item}", "苏州一厂 SZ1", week, Decimal(quantity), "PCS", supplier_id)


async def draft_plan(*lines: PlanLineInput) -> ProductionPlan:
    lines = lines or (await plan_line("FB-M8-30", "2031-W10", "1000"),
                      await plan_line("PL-CAP", "2031-W10", "500", "SUP-B"))
    return await planning.create_production_plan(await actor(PROCUREMENT), "计划 / Plan", lines, clock=clock())


async def published_plan(*lines: PlanLineInput) -> tuple[ProductionPlan, PlanRevision, dict[str, PlanLine]]:
    """A plan published (its copies recorded without PDFs), its revision, and its lines by item code."""
    plan = await draft_plan(*lines)
    revision = await planning.publish_plan_revision(await actor(PROCUREMENT), plan.id, clock=clock(),
                                                    documents=await unsigned_documents())
    lines_by_item = {line.item_code: line for line in await PlanLine.filter(revision_id=revision.id)}
    return await ProductionPlan.get(id=plan.id), revision, lines_by_item
