"""GraphQL types for production plans, their revisions, lines and commitments."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain import models as m
from domain.errors import ValidationFailed
from schema.context import Info
from schema.enums import PlanStatus
from schema.errors import PublicError
from schema.parties.types import Organization, load_organization
from schema.plans.loaders import (
    commitments_by_line, draft_revision_by_plan, lines_by_revision, published_revisions_by_plan,
)
from workflows import plan_comparison
from workflows.documents.contexts import PlanChangeKind as DomainPlanChangeKind

PlanChangeKind = strawberry.enum(DomainPlanChangeKind, name="PlanChangeKind")


@strawberry.type(description="A supplier's committed quantity against one plan line.")
class PlanCommitment:
    id: strawberry.ID
    quantity: Decimal
    note: str
    updated_at: datetime
    supplier_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @classmethod
    def from_row(cls, row: m.PlanCommitment) -> PlanCommitment:
        return cls(id=strawberry.ID(str(row.id)), quantity=row.quantity, note=row.note, updated_at=row.updated_at,
                   supplier_id=row.supplier_id)


@strawberry.type(description="One item, plant and week of a plan revision, and the supplier expected to make it.")
class PlanLine:
    id: strawberry.ID
    line_no: int
    item_code: str
    item_name: str
    plant: str
    week: str
    quantity: Decimal
    unit: str
    expected_supplier_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def expected_supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.expected_supplier_id)

    @strawberry.field(description="Commitments against this line: a supplier sees its own only.")
    async def commitments(self, info: Info) -> list[PlanCommitment]:
        rows = await info.context.loader(commitments_by_line).load(uuid.UUID(self.id))
        return [PlanCommitment.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.PlanLine) -> PlanLine:
        return cls(
            id=strawberry.ID(str(row.id)), line_no=row.line_no, item_code=row.item_code, item_name=row.item_name,
            plant=row.plant, week=row.week, quantity=row.quantity, unit=row.unit,
            expected_supplier_id=row.expected_supplier_id,
        )


@strawberry.type(description="A line added, removed or changed between two revisions (by week, item, plant and "
                             "expected supplier).")
class PlanLineChange:
    change: PlanChangeKind
    week: str
    item_code: str
    item_name: str
    plant: str
    unit: str
    previous_quantity: Decimal | None = strawberry.field(description="null when the line was added")
    quantity: Decimal | None = strawberry.field(description="null when the line was removed")
    expected_supplier_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def expected_supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.expected_supplier_id)

    @classmethod
    def from_change(cls, change: plan_comparison.LineChange) -> PlanLineChange:
        return cls(change=change.change, week=change.week, item_code=change.item_code, item_name=change.item_name,
                   plant=change.plant, unit=change.unit, previous_quantity=change.previous_quantity,
                   quantity=change.quantity, expected_supplier_id=change.expected_supplier_id)


@strawberry.type(description="What changed in a revision since an earlier one.")
class PlanRevisionChanges:
    since: int | None = strawberry.field(description="the revision compared with; null when there is none")
    changes: list[PlanLineChange]


@strawberry.type(description="Demand against commitments for one week, supplier and unit of a published revision.")
class PlanGapRow:
    week: str
    unit: str
    demand: Decimal
    committed: Decimal
    shortfall: Decimal = strawberry.field(description="demand - committed (negative: more committed than asked)")
    line_count: int
    committed_line_count: int = strawberry.field(description="lines with a commitment")
    supplier_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field(description="The expected supplier; null for lines not yet assigned.")
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @classmethod
    def from_row(cls, row: plan_comparison.GapRow) -> PlanGapRow:
        return cls(week=row.week, unit=row.unit, demand=row.demand, committed=row.committed,
                   shortfall=row.shortfall, line_count=row.lines, committed_line_count=row.committed_lines,
                   supplier_id=row.supplier_id)


@strawberry.type(description="A revision of a plan: revision 0 is the buyer's draft; 1, 2, … are published and final.")
class PlanRevision:
    id: strawberry.ID
    revision: int
    note: str
    published_at: datetime | None
    row: strawberry.Private[m.PlanRevision]

    @strawberry.field(description="The revision's lines: a supplier sees only the lines expecting it.")
    async def lines(self, info: Info) -> list[PlanLine]:
        rows = await info.context.loader(lines_by_revision).load(uuid.UUID(self.id))
        return [PlanLine.from_row(row) for row in rows]

    @strawberry.field(description="What changed since revision `since`. By default: for a supplier, since the revision "
                                  "it last acknowledged (else the last one it was sent); for staff, since the "
                                  "previous revision (for the draft: since the published one). A supplier sees only "
                                  "the lines expecting it.")
    async def changes(self, info: Info, since: int | None = None) -> PlanRevisionChanges:
        try:
            result = await plan_comparison.revision_changes(info.context.require_actor(), self.row, since)
        except ValidationFailed as error:
            raise PublicError(error.message) from error
        return PlanRevisionChanges(since=result.since,
                                   changes=[PlanLineChange.from_change(change) for change in result.changes])

    @classmethod
    def from_row(cls, row: m.PlanRevision) -> PlanRevision:
        return cls(id=strawberry.ID(str(row.id)), revision=row.revision, note=row.note, published_at=row.published_at,
                   row=row)


@strawberry.type(description="A production plan the buyer publishes to its suppliers, revision by revision.")
class ProductionPlan:
    id: strawberry.ID
    number: str
    title: str
    status: PlanStatus
    horizon_start: date
    horizon_end: date
    published_at: datetime | None
    withdrawn_at: datetime | None
    created_at: datetime
    row: strawberry.Private[m.ProductionPlan]

    @strawberry.field(description="Per week and supplier, the demand of a published revision (by default the latest) "
                                  "against what was committed. A supplier sees only its own rows.")
    async def gap(self, info: Info, revision: int | None = None) -> list[PlanGapRow]:
        try:
            rows = await plan_comparison.plan_gap(info.context.require_actor(), self.row, revision)
        except ValidationFailed as error:
            raise PublicError(error.message) from error
        return [PlanGapRow.from_row(row) for row in rows]

    @strawberry.field(description="The published revisions the viewer may see, oldest first.")
    async def revisions(self, info: Info) -> list[PlanRevision]:
        rows = await info.context.loader(published_revisions_by_plan).load(uuid.UUID(self.id))
        return [PlanRevision.from_row(row) for row in rows]

    @strawberry.field(description="The newest published revision the viewer may see.")
    async def latest_revision(self, info: Info) -> PlanRevision | None:
        rows = await info.context.loader(published_revisions_by_plan).load(uuid.UUID(self.id))
        return PlanRevision.from_row(rows[-1]) if rows else None

    @strawberry.field(description="The unpublished draft (revision 0); null for suppliers.")
    async def draft_revision(self, info: Info) -> PlanRevision | None:
        row = await info.context.loader(draft_revision_by_plan).load(uuid.UUID(self.id))
        return PlanRevision.from_row(row) if row else None

    @classmethod
    def from_row(cls, row: m.ProductionPlan) -> ProductionPlan:
        return cls(
            id=strawberry.ID(str(row.id)), number=row.number, title=row.title, status=row.status,
            horizon_start=row.horizon_start, horizon_end=row.horizon_end,
            published_at=row.published_at, withdrawn_at=row.withdrawn_at, created_at=row.created_at, row=row,
        )
