"""Reading production plans side by side: the change between two revisions, and the gap between demand and what
suppliers committed. Both go through the viewer's scope, so a supplier compares only the lines expecting it."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from domain.actors import Actor
from domain.enums import AcknowledgementKind, AcknowledgementStatus
from domain.errors import ValidationFailed
from domain.models import Acknowledgement, Organization, PlanLine, PlanRecipient, PlanRevision, ProductionPlan
from workflows import visibility
from workflows.documents.contexts import PlanChangeKind


@dataclass(frozen=True)
class LineChange:
    """A line added, removed or changed (in quantity or unit) between two revisions, keyed by week, item, plant and
    expected supplier (lines alike on all four are added up)."""

    change: PlanChangeKind
    week: str
    item_code: str
    item_name: str
    plant: str
    unit: str
    expected_supplier_id: uuid.UUID | None
    previous_quantity: Decimal | None  # None when ADDED
    quantity: Decimal | None  # None when REMOVED


@dataclass(frozen=True)
class RevisionChanges:
    """The changes from revision `since` (None: there is no earlier revision to compare with)."""

    since: int | None
    changes: tuple[LineChange, ...]


Key = tuple[str, str, str, str]


def _totals(lines: Sequence[PlanLine]) -> dict[Key, tuple[PlanLine, Decimal]]:
    totals: dict[Key, tuple[PlanLine, Decimal]] = {}
    for line in sorted(lines, key=lambda line: line.line_no):
        key = (line.week, line.item_code, line.plant, str(line.expected_supplier_id or ""))
        first, quantity = totals.get(key, (line, Decimal(0)))
        totals[key] = (first, quantity + line.quantity)
    return totals


def compare_lines(before: Sequence[PlanLine], after: Sequence[PlanLine]) -> tuple[LineChange, ...]:
    """What changed from `before` to `after`, in week, item, plant and supplier order."""
    old, new = _totals(before), _totals(after)
    changes = []
    for key in sorted(old.keys() | new.keys()):
        was, now = old.get(key), new.get(key)
        line = (now or was)[0]  # type: ignore[index]
        if was is None:
            kind = PlanChangeKind.ADDED
        elif now is None:
            kind = PlanChangeKind.REMOVED
        elif was[1] != now[1] or was[0].unit != now[0].unit:
            kind = PlanChangeKind.CHANGED
        else:
            continue
        changes.append(LineChange(kind, line.week, line.item_code, line.item_name, line.plant, line.unit,
                                  line.expected_supplier_id, was[1] if was else None, now[1] if now else None))
    return tuple(changes)


async def supplier_baseline(plan_id: uuid.UUID, supplier_id: uuid.UUID, revision: int) -> int | None:
    """The revision a supplier's view of `revision` is compared with: the newest earlier one it acknowledged, else
    the newest earlier one it was sent, else None (everything is new to it)."""
    earlier = await PlanRevision.filter(plan_id=plan_id, revision__gte=1, revision__lt=revision,
                                        published_at__isnull=False).values_list("id", "revision")
    if not earlier:
        return None
    number_of = dict(earlier)
    acknowledged = await Acknowledgement.filter(
        kind=AcknowledgementKind.PLAN_REVISION, supplier_id=supplier_id, status=AcknowledgementStatus.ACKNOWLEDGED,
        subject_id__in=list(number_of)).values_list("subject_id", flat=True)
    if acknowledged:
        return max(number_of[subject_id] for subject_id in acknowledged)
    received = await PlanRecipient.filter(supplier_id=supplier_id, revision_id__in=list(number_of)).values_list(
        "revision_id", flat=True)
    return max((number_of[revision_id] for revision_id in received), default=None)


async def _default_baseline(actor: Actor, plan: ProductionPlan, revision: PlanRevision) -> int | None:
    if actor.is_supplier:
        return await supplier_baseline(plan.id, actor.org_id, revision.revision)
    # Staff compare a published revision with the one before it, and the draft with what is published now.
    older = revision.revision - 1 if revision.revision > 0 else plan.current_revision
    return older if older >= 1 else None


async def revision_changes(actor: Actor, revision: PlanRevision, since: int | None = None) -> RevisionChanges:
    """The changes to `revision` since revision `since` (by default: for a supplier, the revision it last
    acknowledged; for staff, the previous one). Refused when `since` is not a published revision the actor sees."""
    plan = await ProductionPlan.get(id=revision.plan_id)
    explicit = since is not None
    if since is None:
        since = await _default_baseline(actor, plan, revision)
        if since is None:
            return RevisionChanges(None, ())
    baseline = await visibility.plan_revisions(actor).filter(plan_id=plan.id, revision=since,
                                                             published_at__isnull=False).first()
    if baseline is None and explicit:
        raise ValidationFailed(f"{plan.number} has no published revision {since} you may see", field="since")
    before = await visibility.plan_lines(actor).filter(revision_id=baseline.id) if baseline else []
    after = await visibility.plan_lines(actor).filter(revision_id=revision.id)
    return RevisionChanges(since, compare_lines(before, after))


@dataclass(frozen=True)
class GapRow:
    """Demand against commitments for one week, supplier and unit (supplier None: lines not yet assigned)."""

    week: str
    supplier_id: uuid.UUID | None
    unit: str
    demand: Decimal
    committed: Decimal
    lines: int
    committed_lines: int

    @property
    def shortfall(self) -> Decimal:
        """How much is not committed yet (negative when suppliers committed more than asked)."""
        return self.demand - self.committed


async def plan_gap(actor: Actor, plan: ProductionPlan, revision: int | None = None) -> tuple[GapRow, ...]:
    """Per week and supplier, the demand of a published revision (by default the latest) and what was committed
    against it, over the lines the actor sees."""
    number = revision if revision is not None else plan.current_revision
    if number < 1:
        return ()
    row = await visibility.plan_revisions(actor).filter(plan_id=plan.id, revision=number,
                                                        published_at__isnull=False).first()
    if row is None:
        if revision is not None:
            raise ValidationFailed(f"{plan.number} has no published revision {revision} you may see",
                                   field="revision")
        return ()
    lines = await visibility.plan_lines(actor).filter(revision_id=row.id)
    committed: dict[uuid.UUID, Decimal] = defaultdict(Decimal)
    for commitment in await visibility.plan_commitments(actor).filter(line_id__in=[line.id for line in lines]):
        committed[commitment.line_id] += commitment.quantity
    groups: dict[tuple[str, uuid.UUID | None, str], list[PlanLine]] = defaultdict(list)
    for line in lines:
        groups[(line.week, line.expected_supplier_id, line.unit)].append(line)
    codes = {org.id: org.code for org in await Organization.filter(
        id__in=[key[1] for key in groups if key[1] is not None])}
    rows = [
        GapRow(week, supplier_id, unit, sum((line.quantity for line in group), Decimal(0)),
               sum((committed.get(line.id, Decimal(0)) for line in group), Decimal(0)), len(group),
               sum(1 for line in group if line.id in committed))
        for (week, supplier_id, unit), group in groups.items()
    ]
    rows.sort(key=lambda r: (r.week, r.supplier_id is None, codes.get(r.supplier_id, ""), r.unit))
    return tuple(rows)
