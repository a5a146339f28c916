"""Production plans: the buyer drafts a plan, publishes it revision by revision to the suppliers it expects to make
each line, and suppliers commit capacity per line.

A plan's revision 0 is its editable draft. Publishing copies the draft's lines into revision n + 1, which never
changes again, addresses it to every supplier a line expects (PlanRecipient), and sends each of them its own signed
copy (the lines expecting it, and what changed for it since the revision it last acknowledged) with an
acknowledgement. Commitments are per line of the latest revision.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import AcknowledgementKind, OPEN_ACKNOWLEDGEMENT_STATUSES, PlanStatus, Role
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import (
    Acknowledgement, Document, DocumentVersion, Organization, PlanCommitment, PlanLine, PlanRecipient, PlanRevision,
    ProductionPlan,
)
from workflows import transitions as tt
from workflows import visibility
from workflows.audit import record_event
from workflows.deadlines.acknowledgements import close_acknowledgements, open_acknowledgement
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.documents import subjects
from workflows.documents.contexts import PlanChange
from workflows.idempotency import create_once
from workflows.numbering import reserve_numbers
from workflows.plan_comparison import compare_lines, supplier_baseline
from workflows.plan_lines import (
    MAX_LINES, LineProblem, PlanLineInput, line_problems, normalised, quantity_problem, week_monday, week_span,
)

PLAN_ROLES = frozenset({Role.PROCUREMENT, Role.ADMIN})
DRAFT_REVISION = 0
MAX_TITLE_LENGTH = 200
MAX_NOTE_LENGTH = 500
MAX_HORIZON_DAYS = 2 * 366


def _require_plan_role(actor: Actor, doing: str) -> None:
    if not (actor.is_staff and actor.has_any(PLAN_ROLES)):
        raise PermissionDenied(f"to {doing} takes the role PROCUREMENT or ADMIN")


def _refusal(problem: LineProblem, index: int, field: str = "lines") -> ValidationFailed:
    return ValidationFailed(problem.message, field=f"{field}[{index}].{problem.field}", code=problem.code)


async def checked_lines(actor: Actor, lines: Sequence[PlanLineInput],
                        field: str = "lines") -> tuple[PlanLineInput, ...]:
    """The lines trimmed and checked: 1 to MAX_LINES of them, each valid, each expected supplier an existing
    supplier. The first problem is raised, naming `lines[i].<field>`."""
    if not 1 <= len(lines) <= MAX_LINES:
        raise ValidationFailed(f"a plan has 1 to {MAX_LINES} lines", field=field,
                               code="NO_LINES" if not lines else "TOO_MANY_LINES")
    result = []
    for index, line in enumerate(lines):
        line = normalised(line)
        if problems := line_problems(line):
            raise _refusal(problems[0], index, field)
        result.append(line)
    wanted = {line.expected_supplier_id for line in result if line.expected_supplier_id is not None}
    found = set(await visibility.suppliers(actor).filter(id__in=list(wanted)).values_list("id", flat=True)) \
        if wanted else set()
    for index, line in enumerate(result):
        if line.expected_supplier_id is not None and line.expected_supplier_id not in found:
            raise NotFound("no such supplier", field=f"{field}[{index}].expectedSupplierId")
    return tuple(result)


def _horizon(lines: Sequence[PlanLineInput], start: date | None, end: date | None) -> tuple[date, date]:
    """The horizon given, or else the span of the lines' weeks; every line's week must overlap it."""
    first, last = week_span([line.week for line in lines])
    start, end = start or first, end or last
    if end < start:
        raise ValidationFailed("the horizon ends before it starts", field="horizonEnd")
    if (end - start).days > MAX_HORIZON_DAYS:
        raise ValidationFailed(f"a horizon is at most {MAX_HORIZON_DAYS} days", field="horizonEnd")
    for index, line in enumerate(lines):
        monday = week_monday(line.week)
        if monday > end or monday + timedelta(days=6) < start:  # type: ignore[operator]
            raise ValidationFailed(f"week {line.week} is outside the horizon {start} – {end}",
                                   field=f"lines[{index}].week", code="WEEK_OUTSIDE_HORIZON")
    return start, end


def _request_lines(lines: Sequence[PlanLineInput]) -> list[dict]:
    return [dataclasses.asdict(line) for line in lines]


async def _write_lines(connection: BaseDBAsyncClient, revision: PlanRevision, lines: Sequence[PlanLineInput],
                       at: datetime) -> None:
    await PlanLine.bulk_create([
        PlanLine(revision_id=revision.id, line_no=n, item_code=line.item_code, item_name=line.item_name,
                 plant=line.plant, week=line.week, quantity=line.quantity, unit=line.unit,
                 expected_supplier_id=line.expected_supplier_id, created_at=at)
        for n, line in enumerate(lines, start=1)
    ], using_db=connection)


# -- creating --------------------------------------------------------------------------------------------------------


async def create_production_plan(actor: Actor, title: str, lines: Sequence[PlanLineInput], *, clock: Clock,
                                 horizon_start: date | None = None, horizon_end: date | None = None,
                                 idempotency_key: str | None = None) -> ProductionPlan:
    """A DRAFT plan with its draft revision 0 holding `lines`. The horizon defaults to the span of the lines'
    weeks. With an idempotency key, a retried request returns the first one's plan."""
    _require_plan_role(actor, "create a production plan")
    title = (title or "").strip()
    if not 1 <= len(title) <= MAX_TITLE_LENGTH:
        raise ValidationFailed(f"a title has 1 to {MAX_TITLE_LENGTH} characters", field="title")
    checked = await checked_lines(actor, lines)
    start, end = _horizon(checked, horizon_start, horizon_end)
    now = clock.now()
    request = {"title": title, "horizonStart": str(start), "horizonEnd": str(end), "lines": _request_lines(checked)}

    async def create(connection: BaseDBAsyncClient) -> ProductionPlan:
        [number] = await reserve_numbers(connection, "plan", now.astimezone(BUYER_TIME_ZONE).year)
        plan = await ProductionPlan.create(number=number, title=title, owner_id=actor.user_id, horizon_start=start,
                                           horizon_end=end, created_at=now, using_db=connection)
        draft = await PlanRevision.create(plan_id=plan.id, revision=DRAFT_REVISION, created_at=now,
                                          using_db=connection)
        await _write_lines(connection, draft, checked, now)
        await record_event(connection, at=now, actor=actor, action="productionPlan.create",
                           subject_type="ProductionPlan", subject_id=plan.id,
                           data={"number": number, "lines": len(checked)})
        return plan

    plan, _ = await create_once(actor, "createProductionPlan", idempotency_key, request, create,
                                lambda plan_id: ProductionPlan.get(id=plan_id))
    return plan


# -- publishing ------------------------------------------------------------------------------------------------------


async def _publish(connection: BaseDBAsyncClient, actor: Actor, plan: ProductionPlan, note: str,
                   lines: tuple[PlanLineInput, ...] | None, now: datetime,
                   horizon: tuple[date, date] | None = None) -> PlanRevision:
    number = plan.current_revision + 1
    changes: dict = {"current_revision": number}
    if horizon is not None and horizon != (plan.horizon_start, plan.horizon_end):
        changes.update(horizon_start=horizon[0], horizon_end=horizon[1])
    # First, so that a concurrent publication of the same plan is a Conflict before anything else is written.
    await tt.apply(connection, tt.PLAN, plan, "publish", actor=actor, at=now, changes=changes,
                   expect={"current_revision": plan.current_revision}, data={"revision": number})
    draft = await PlanRevision.filter(plan_id=plan.id, revision=DRAFT_REVISION).using_db(connection).first()
    if draft is None:  # every plan is created with its draft; a missing one is repaired, not fatal
        draft = await PlanRevision.create(plan_id=plan.id, revision=DRAFT_REVISION, created_at=now,
                                          using_db=connection)
    if lines is not None:
        await PlanLine.filter(revision_id=draft.id).using_db(connection).delete()
        await _write_lines(connection, draft, lines, now)
    draft_lines = await PlanLine.filter(revision_id=draft.id).using_db(connection).order_by("line_no")
    if not draft_lines:
        raise ValidationFailed("the draft has no lines to publish", field="lines", code="NO_LINES")
    suppliers = sorted({line.expected_supplier_id for line in draft_lines if line.expected_supplier_id},
                       key=str)
    if not suppliers:
        raise ValidationFailed("no line expects a supplier: a revision must be addressed to someone",
                               field="lines", code="NO_RECIPIENTS")
    revision = await PlanRevision.create(plan_id=plan.id, revision=number, note=note, published_at=now,
                                         published_by_id=actor.user_id, created_at=now, using_db=connection)
    await PlanLine.bulk_create([
        PlanLine(revision_id=revision.id, line_no=line.line_no, item_code=line.item_code, item_name=line.item_name,
                 plant=line.plant, week=line.week, quantity=line.quantity, unit=line.unit,
                 expected_supplier_id=line.expected_supplier_id, created_at=now)
        for line in draft_lines
    ], using_db=connection)
    await PlanRecipient.bulk_create([
        PlanRecipient(plan_id=plan.id, revision_id=revision.id, supplier_id=supplier_id, created_at=now)
        for supplier_id in suppliers
    ], using_db=connection)
    # What older revisions still wait for is moot: the new revision is what suppliers answer now.
    older = await PlanRevision.filter(plan_id=plan.id, revision__gte=1, revision__lt=number).using_db(
        connection).values_list("id", flat=True)
    waiting = await Acknowledgement.filter(
        kind=AcknowledgementKind.PLAN_REVISION, subject_id__in=list(older),
        status__in=sorted(OPEN_ACKNOWLEDGEMENT_STATUSES)).using_db(connection).distinct().values_list(
        "subject_id", flat=True) if older else []
    for revision_id in sorted(set(waiting), key=str):
        stale = await PlanRevision.filter(id=revision_id).using_db(connection).first()
        await close_acknowledgements(connection, stale, name="cancel", actor=actor, at=now)
    return revision


async def publish_plan_revision(actor: Actor, plan_id: uuid.UUID | None, *, clock: Clock,
                                documents, note: str = "",  # noqa: ANN001 - a DocumentService
                                lines: Sequence[PlanLineInput] | None = None,
                                idempotency_key: str | None = None) -> PlanRevision:
    """Publish the plan's draft (its lines replaced by `lines` when given) as revision n + 1: immutable, addressed
    to every supplier a line expects, each sent its signed copy and an acknowledgement.

    The revision is one transaction; each supplier's copy is then signed and recorded together with its
    acknowledgement. Should signing fail, the revision stays published and the request can be retried with the same
    idempotency key (or `issue_plan_documents` called): it sends only the copies still missing."""
    plan = await visibility.get_visible(visibility.production_plans(actor), plan_id)
    if plan is None:
        raise NotFound("no such production plan", field="planId")
    tt.check(tt.PLAN, plan, "publish", actor)
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise ValidationFailed(f"a note has at most {MAX_NOTE_LENGTH} characters", field="note")
    checked = await checked_lines(actor, lines) if lines is not None else None
    horizon = (plan.horizon_start, plan.horizon_end)
    if checked is not None:
        # A rolling plan moves on: its horizon grows to cover the new lines' weeks.
        first, last = week_span([line.week for line in checked])
        horizon = (min(horizon[0], first), max(horizon[1], last))
    now = clock.now()
    request = {"planId": str(plan.id), "note": note,
               "lines": _request_lines(checked) if checked is not None else None}

    async def create(connection: BaseDBAsyncClient) -> PlanRevision:
        return await _publish(connection, actor, plan, note, checked, now, horizon)

    try:
        revision, _ = await create_once(actor, "publishPlanRevision", idempotency_key, request, create,
                                        lambda revision_id: PlanRevision.get(id=revision_id))
    except IntegrityError as error:
        raise Conflict(f"{plan.number} was published by someone else meanwhile; reload it and try again",
                       field="planId") from error
    await issue_plan_documents(actor, revision, documents=documents)
    return revision


async def issue_plan_documents(actor: Actor, revision: PlanRevision, *,
                               documents) -> list[DocumentVersion]:  # noqa: ANN001 - a DocumentService
    """Send each recipient of a published revision that has no copy yet its signed copy, with its acknowledgement
    (recorded in the transaction that records the copy). Running it again sends nothing twice."""
    await revision.fetch_related("plan")
    plan = revision.plan
    recipients = await PlanRecipient.filter(revision_id=revision.id).prefetch_related("supplier")
    sent = set(await Document.filter(subject_type="PlanRecipient", subject_id__in=[r.id for r in recipients])
               .values_list("subject_id", flat=True))
    versions = []
    for recipient in sorted(recipients, key=lambda r: r.supplier.code):
        if recipient.id in sent:
            continue
        supplier = recipient.supplier
        subject, context = await subjects.plan_revision_document(revision, supplier, documents.letterhead)
        since = await supplier_baseline(plan.id, supplier.id, revision.revision)
        if since is not None:
            context = dataclasses.replace(context, previous_revision=since,
                                          changes=await _changes_for(plan, supplier, since, revision))

        async def within(connection: BaseDBAsyncClient, version: DocumentVersion,
                         supplier: Organization = supplier, number: str = subject.number) -> None:
            await open_acknowledgement(connection, kind=AcknowledgementKind.PLAN_REVISION, subject=revision,
                                       number=number, supplier_id=supplier.id, owner_id=plan.owner_id,
                                       sent_at=revision.published_at, document_id=version.document_id)

        versions.append(await documents.issue(subject, context, actor=actor, within=within))
    return versions


async def _changes_for(plan: ProductionPlan, supplier: Organization, since: int,
                       revision: PlanRevision) -> tuple[PlanChange, ...]:
    baseline = await PlanRevision.get(plan_id=plan.id, revision=since)
    before = await PlanLine.filter(revision_id=baseline.id, expected_supplier_id=supplier.id)
    after = await PlanLine.filter(revision_id=revision.id, expected_supplier_id=supplier.id)
    changes = []
    for change in compare_lines(before, after):
        zh, en = subjects.split_name(change.item_name)
        changes.append(PlanChange(change.change, change.item_code, zh, en, change.plant, change.week, change.unit,
                                  change.previous_quantity, change.quantity))
    return tuple(changes)


# -- committing ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommitmentInput:
    """A supplier's committed quantity (zero or more) against one plan line, with a note."""

    line_id: uuid.UUID
    quantity: Decimal
    note: str = ""


def _checked_commitments(lines: Sequence[CommitmentInput]) -> tuple[CommitmentInput, ...]:
    if not 1 <= len(lines) <= MAX_LINES:
        raise ValidationFailed(f"commit to 1 to {MAX_LINES} lines at once", field="lines")
    checked, seen = [], set()
    for index, line in enumerate(lines):
        if (problem := quantity_problem(line.quantity, allow_zero=True)) is not None:  # type: ignore[arg-type]
            raise _refusal(problem, index)
        note = (line.note or "").strip()
        if len(note) > MAX_NOTE_LENGTH:
            raise ValidationFailed(f"a note has at most {MAX_NOTE_LENGTH} characters", field=f"lines[{index}].note")
        if line.line_id in seen:
            raise ValidationFailed("this line appears twice", field=f"lines[{index}].lineId", code="DUPLICATE_LINE")
        seen.add(line.line_id)
        checked.append(CommitmentInput(line.line_id, line.quantity, note))
    return tuple(checked)


async def commit_to_plan(actor: Actor, revision_id: uuid.UUID | None, lines: Sequence[CommitmentInput], *,
                         clock: Clock) -> list[PlanCommitment]:
    """The supplier's commitments against lines of the latest revision sent to it (each created or replaced).

    A line that is not in the revision or does not expect the actor's organisation is NotFound; committing against
    a revision that a newer one replaced, or a withdrawn plan, is refused."""
    if not actor.is_supplier:
        raise PermissionDenied("only the supplier a plan line expects commits capacity against it")
    revision = await visibility.get_visible(visibility.plan_revisions(actor), revision_id)
    if revision is None or revision.published_at is None:
        raise NotFound("no such plan revision", field="revisionId")
    checked = _checked_commitments(lines)
    plan = await ProductionPlan.get(id=revision.plan_id)
    if plan.status is not PlanStatus.PUBLISHED:
        raise IllegalTransition(f"production plan {plan.number} is {plan.status.lower()}: it takes no commitments",
                                field="revisionId")
    if revision.revision != plan.current_revision:
        raise IllegalTransition(
            f"revision {revision.revision} of {plan.number} was replaced by revision {plan.current_revision}: "
            "commit against the latest", field="revisionId", code="REVISION_SUPERSEDED")
    wanted = [line.line_id for line in checked]
    visible = set(await visibility.plan_lines(actor).filter(revision_id=revision.id, id__in=wanted).values_list(
        "id", flat=True))
    for index, line in enumerate(checked):
        if line.line_id not in visible:
            raise NotFound("no such line of this revision expecting you", field=f"lines[{index}].lineId")
    now = clock.now()
    try:
        async with in_transaction() as connection:
            existing = {row.line_id: row for row in await PlanCommitment.filter(
                line_id__in=wanted, supplier_id=actor.org_id).using_db(connection).select_for_update()}
            created = []
            for line in checked:
                row = existing.get(line.line_id)
                if row is None:
                    created.append(PlanCommitment(line_id=line.line_id, supplier_id=actor.org_id,
                                                  quantity=line.quantity, note=line.note,
                                                  committed_by_id=actor.user_id, created_at=now))
                else:
                    await PlanCommitment.filter(id=row.id).using_db(connection).update(
                        quantity=line.quantity, note=line.note, committed_by_id=actor.user_id, updated_at=now)
            if created:
                await PlanCommitment.bulk_create(created, using_db=connection)
            await record_event(connection, at=now, actor=actor, action="productionPlan.commit",
                               subject_type="ProductionPlan", subject_id=plan.id, supplier_id=actor.org_id,
                               data={"revision": revision.revision, "lines": len(checked)})
    except IntegrityError as error:  # the same line committed by a concurrent request first
        raise Conflict("these lines were committed by someone else meanwhile; reload and try again",
                       field="lines") from error
    return await PlanCommitment.filter(line_id__in=wanted, supplier_id=actor.org_id).order_by("id")
