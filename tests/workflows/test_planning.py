"""Production plans through the workflows (no GraphQL): create (typed or CSV), publish revisions with their copies
and acknowledgements, commitments, the gap view and the changes between revisions."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from domain.enums import AcknowledgementStatus, DocumentKind, PlanStatus
from domain.errors import DomainError
from domain.models import (
    Acknowledgement, AuditEvent, Document, PlanCommitment, PlanLine, PlanRecipient, PlanRevision, ProductionPlan,
)
from workflows import planning
from workflows import transitions as tt
from workflows.deadlines.acknowledgements import acknowledge
from workflows.documents.contexts import PlanChangeKind
from workflows.plan_comparison import plan_gap, revision_changes
from workflows.plan_import import PlanCsvInvalid, import_plan_csv, parse_plan_csv
from workflows.plan_lines import PlanLineInput
from workflows.planning import CommitmentInput

from tests.support.procurement import (
    ACCOUNTING, ADMIN, AUDITOR, PROCUREMENT, SUPPLIER_A, SUPPLIER_B, UnsignedDocuments, actor, clock, supplier,
    unsigned_documents,
)

pytestmark = pytest.mark.usefixtures("demo")


class CapturingDocuments(UnsignedDocuments):
    """Records each copy's context too, to check what the PDF would show."""

    def __init__(self, letterhead) -> None:  # noqa: ANN001
        super().__init__(letterhead)
        self.contexts: dict[str, object] = {}

    async def issue(self, subject, context, *, actor, within=None):  # noqa: ANN001, ANN202
        self.contexts[subject.number] = context
        return await super().issue(subject, context, actor=actor, within=within)


async def capturing() -> CapturingDocuments:
    return CapturingDocuments((await unsigned_documents()).letterhead)


async def line(item: str, week: str, quantity: str, supplier_code: str | None = "SUP-A",
               plant: str = "苏州一厂 SZ1") -> PlanLineInput:
    supplier_id = (await supplier(supplier_code)).id if supplier_code else None
    return PlanLineInput(item, f"{item} 零件 / part {item}", plant, week, Decimal(quantity), "PCS", supplier_id)


async def draft_plan(*lines: PlanLineInput, key: str | None = None) -> ProductionPlan:
    lines = lines or (await line("FB-M8-30", "2030-W10", "1000"), await line("PL-CAP", "2030-W10", "500", "SUP-B"))
    return await planning.create_production_plan(await actor(PROCUREMENT), "测试计划 / Test plan", lines,
                                                 clock=clock(), idempotency_key=key)


async def publish(plan: ProductionPlan, documents, *lines: PlanLineInput, note: str = "",  # noqa: ANN001
                  as_email: str = PROCUREMENT, key: str | None = None) -> PlanRevision:
    return await planning.publish_plan_revision(await actor(as_email), plan.id, clock=clock(), documents=documents,
                                                note=note, lines=list(lines) if lines else None,
                                                idempotency_key=key)


# -- creating --------------------------------------------------------------------------------------------------------


async def test_a_plan_is_created_as_a_draft_with_its_lines_and_a_horizon_from_its_weeks() -> None:
    plan = await draft_plan(await line("FB-M8-30", "2030-W10", "1000"),
                            await line("FN-M8", "2030-W12", "250.5", None, plant="  常州工厂 CZ1 "))
    assert plan.status is PlanStatus.DRAFT and plan.number.startswith("JH-") and plan.current_revision == 0
    assert (plan.horizon_start.isoformat(), plan.horizon_end.isoformat()) == ("2030-03-04", "2030-03-24")
    draft = await PlanRevision.get(plan_id=plan.id, revision=0)
    assert draft.published_at is None
    lines = await PlanLine.filter(revision_id=draft.id).order_by("line_no")
    assert [(l.line_no, l.item_code, l.week, l.quantity, l.plant) for l in lines] == [
        (1, "FB-M8-30", "2030-W10", Decimal(1000), "苏州一厂 SZ1"), (2, "FN-M8", "2030-W12", Decimal("250.5"),
                                                                   "常州工厂 CZ1")]
    assert lines[1].expected_supplier_id is None
    assert await AuditEvent.filter(action="productionPlan.create", subject_id=plan.id).exists()


async def test_a_retried_creation_creates_nothing_twice() -> None:
    key = f"plan-{uuid.uuid4()}"
    first = await draft_plan(key=key)
    assert (await draft_plan(key=key)).id == first.id
    with pytest.raises(DomainError) as refused:
        await draft_plan(await line("OTHER", "2030-W10", "1"), key=key)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


@pytest.mark.parametrize(("change", "code", "field"), [
    ({"item_code": ""}, "INVALID", "lines[0].itemCode"),
    ({"item_code": "X" * 65}, "INVALID", "lines[0].itemCode"),
    ({"item_name": "x\x07"}, "INVALID", "lines[0].itemName"),
    ({"week": "2030-10"}, "INVALID_WEEK", "lines[0].week"),
    ({"week": "2021-W53"}, "INVALID_WEEK", "lines[0].week"),  # 2021 has 52 ISO weeks
    ({"quantity": Decimal(0)}, "QUANTITY_NOT_POSITIVE", "lines[0].quantity"),
    ({"quantity": Decimal("1.0001")}, "INVALID", "lines[0].quantity"),
    ({"quantity": Decimal("1e20")}, "INVALID", "lines[0].quantity"),
    ({"unit": "X" * 17}, "INVALID", "lines[0].unit"),
    ({"expected_supplier_id": uuid.uuid4()}, "NOT_FOUND", "lines[0].expectedSupplierId"),
])
async def test_line_refusals(change: dict, code: str, field: str) -> None:
    good = await line("FB-M8-30", "2030-W10", "1000")
    bad = PlanLineInput(**{**good.__dict__, **change})
    with pytest.raises(DomainError) as refused:
        await draft_plan(bad)
    assert (refused.value.code, refused.value.field) == (code, field)


async def test_creation_refusals() -> None:
    good = [await line("FB-M8-30", "2030-W10", "1000")]
    cases = [
        (SUPPLIER_A, "title", good, {}, ("PERMISSION_DENIED", None)),
        (ACCOUNTING, "title", good, {}, ("PERMISSION_DENIED", None)),
        (AUDITOR, "title", good, {}, ("PERMISSION_DENIED", None)),
        (ADMIN, " ", good, {}, ("INVALID", "title")),
        (ADMIN, "title", [], {}, ("NO_LINES", "lines")),
        (ADMIN, "title", good * 501, {}, ("TOO_MANY_LINES", "lines")),
        (ADMIN, "title", good, {"horizon_start": date(2030, 5, 1)}, ("INVALID", "horizonEnd")),
        (ADMIN, "title", good, {"horizon_start": date(2030, 4, 1), "horizon_end": date(2030, 5, 1)},
         ("WEEK_OUTSIDE_HORIZON", "lines[0].week")),
    ]
    for email, title, lines, extra, expected in cases:
        with pytest.raises(DomainError) as refused:
            await planning.create_production_plan(await actor(email), title, lines, clock=clock(), **extra)
        assert (refused.value.code, refused.value.field) == expected, (email, title, extra)


# -- the CSV an ERP exports ------------------------------------------------------------------------------------------

ERP_CSV = (
    "\ufeff物料编码,物料名称,工厂,需求日期,需求数量,单位,供应商代码,MRP控制者\n"
    "FB-M8-30,六角螺栓 M8×30 / Hex bolt,苏州一厂 SZ1,2030-03-06,1200,PCS,SUP-A,001\n"
    "PL-CAP-66,\"PA66 端盖, 黑色 / end cap, black\",苏州二厂 SZ2,2030/03/13,800.5,,SUP-B,001\n"
    ",,,,,,,\n"
    "FN-M8,六角螺母 / Hex nut,苏州一厂 SZ1,2030-03-20,300,PCS,,002\n"
)


async def test_an_erp_csv_becomes_plan_lines() -> None:
    lines = await import_plan_csv(ERP_CSV, await actor(PROCUREMENT))
    a, b = (await supplier("SUP-A")).id, (await supplier("SUP-B")).id
    assert [(l.item_code, l.item_name, l.week, l.quantity, l.unit, l.expected_supplier_id) for l in lines] == [
        ("FB-M8-30", "六角螺栓 M8×30 / Hex bolt", "2030-W10", Decimal(1200), "PCS", a),
        ("PL-CAP-66", "PA66 端盖, 黑色 / end cap, black", "2030-W11", Decimal("800.5"), "PCS", b),
        ("FN-M8", "六角螺母 / Hex nut", "2030-W12", Decimal(300), "PCS", None),
    ]
    semicolons = "item code;item name;plant;week;qty\nX-1;Part;SZ1;2030-w9;5\n"
    rows, problems = parse_plan_csv(semicolons)
    assert not problems and rows[0].line.week == "2030-W09"


@pytest.mark.parametrize(("text", "expected"), [
    ("", [("csv[1].file", "EMPTY")]),
    ("item code,item name,plant,week\n", [("csv[1].quantity", "MISSING_COLUMN")]),
    ("item code,item name,plant,quantity\nA,B,C,1\n", [("csv[1].week", "MISSING_COLUMN")]),
    ("item code,item name,plant,week,quantity\n", [("csv[2].file", "EMPTY")]),
    ("item code,item name,plant,week,quantity,数量\nA,B,C,2030-W10,1,1\n", [("csv[1].quantity", "INVALID")]),
    ("item code,item name,plant,week,quantity\n"
     "A,B,C,2030-W10,1\n"
     "A,,C,2030-W99,-1\n"
     "A,B,C,2030-W10,\"1,200\"\n"
     ",B,C,,1\n",
     [("csv[3].itemName", "INVALID"), ("csv[3].week", "INVALID_WEEK"), ("csv[3].quantity", "QUANTITY_NOT_POSITIVE"),
      ("csv[4].quantity", "INVALID"), ("csv[5].week", "INVALID_WEEK"), ("csv[5].itemCode", "INVALID")]),
    ("item code,item name,plant,date,quantity\nA,B,C,2030-02-30,1\n", [("csv[2].date", "INVALID_DATE")]),
])
def test_csv_errors_name_their_row_and_column(text: str, expected: list[tuple[str, str]]) -> None:
    rows, problems = parse_plan_csv(text)
    assert [(p.field, p.code) for p in problems] == expected
    assert all(p.message.startswith("row ") for p in problems)


async def test_a_csv_with_any_error_imports_nothing() -> None:
    text = "item code,item name,plant,week,quantity,supplier\nA,B,C,2030-W10,1,SUP-A\nA,B,C,2030-W10,1,NOPE\n"
    with pytest.raises(PlanCsvInvalid) as refused:
        await import_plan_csv(text, await actor(PROCUREMENT))
    assert [(p.field, p.code) for p in refused.value.problems] == [("csv[3].supplier", "UNKNOWN_SUPPLIER")]
    assert refused.value.code == "CSV_INVALID" and refused.value.field == "csv"
    too_many = "item code,item name,plant,week,quantity\n" + "A,B,C,2030-W10,1\n" * 501
    _, problems = parse_plan_csv(too_many)
    assert [(p.field, p.code) for p in problems] == [("csv[502].file", "TOO_MANY_LINES")]


# -- publishing ------------------------------------------------------------------------------------------------------


async def test_publishing_sends_each_expected_supplier_its_signed_copy_and_an_acknowledgement(service) -> None:  # noqa: ANN001
    plan = await draft_plan()
    revision = await publish(plan, service, note="首次发布 / first issue")
    plan = await ProductionPlan.get(id=plan.id)
    assert plan.status is PlanStatus.PUBLISHED and plan.current_revision == 1 and revision.revision == 1
    assert revision.published_at is not None and revision.note == "首次发布 / first issue"
    assert await PlanLine.filter(revision_id=revision.id).count() == 2
    recipients = await PlanRecipient.filter(revision_id=revision.id).prefetch_related("supplier")
    assert sorted(r.supplier.code for r in recipients) == ["SUP-A", "SUP-B"]
    for recipient in recipients:
        document = await Document.get(kind=DocumentKind.PRODUCTION_PLAN, subject_id=recipient.id)
        assert document.supplier_id == recipient.supplier_id and document.current_version == 1
        assert document.number == f"{plan.number}-R1-{recipient.supplier.code}"
        ack = await Acknowledgement.get(subject_id=revision.id, supplier_id=recipient.supplier_id)
        assert ack.status is AcknowledgementStatus.PENDING and ack.document_id == document.id
    assert await AuditEvent.filter(action="productionPlan.publish", subject_id=plan.id).exists()
    # The draft stays as it was, for the next revision.
    assert await PlanLine.filter(revision__plan_id=plan.id, revision__revision=0).count() == 2


async def test_each_copy_shows_what_changed_since_the_revision_its_supplier_last_acknowledged(service) -> None:  # noqa: ANN001
    documents = await capturing()
    bolts, caps = await line("FB-M8-30", "2030-W10", "1000"), await line("PL-CAP", "2030-W10", "500", "SUP-B")
    plan = await draft_plan(bolts, caps)
    first = await publish(plan, documents)
    ack_a = await Acknowledgement.get(subject_id=first.id, supplier_id=(await supplier("SUP-A")).id)
    await acknowledge(await actor(SUPPLIER_A), ack_a.id, accept=True, clock=clock(), documents=documents)
    more_bolts = await line("FB-M8-30", "2030-W10", "1200")
    washers = await line("FW-M8", "2030-W11", "300")
    housing = await line("AL-220", "2030-W11", "40", "SUP-C")
    second = await publish(plan, documents, more_bolts, washers, housing)
    assert second.revision == 2
    grown = await ProductionPlan.get(id=plan.id)  # the horizon grows with a rolling plan
    assert (grown.horizon_start.isoformat(), grown.horizon_end.isoformat()) == ("2030-03-04", "2030-03-17")
    copy_a = documents.contexts[f"{plan.number}-R2-SUP-A"]
    assert copy_a.previous_revision == 1
    assert [(c.change, c.item_code, c.previous_quantity, c.quantity) for c in copy_a.changes] == [
        (PlanChangeKind.CHANGED, "FB-M8-30", Decimal(1000), Decimal(1200)),
        (PlanChangeKind.ADDED, "FW-M8", None, Decimal(300))]
    copy_c = documents.contexts[f"{plan.number}-R2-SUP-C"]
    assert copy_c.previous_revision is None and copy_c.changes == ()  # everything is new to SUP-C
    # SUP-B has nothing in revision 2: it is not a recipient; its revision-1 acknowledgement is moot.
    assert f"{plan.number}-R2-SUP-B" not in documents.contexts
    ack_b = await Acknowledgement.get(subject_id=first.id, supplier_id=(await supplier("SUP-B")).id)
    assert ack_b.status is AcknowledgementStatus.CANCELLED
    # The real PDF of a revision with changes renders and is signed.
    third = await publish(plan, service, await line("FB-M8-30", "2030-W10", "900"))
    document = await Document.get(subject_id=(await PlanRecipient.get(revision_id=third.id)).id)
    assert document.current_version == 1

    # In GraphQL's terms: for staff, since the previous revision; for a supplier, since what it acknowledged.
    staff = await revision_changes(await actor(PROCUREMENT), second)
    assert staff.since == 1 and {c.change for c in staff.changes} == {
        PlanChangeKind.CHANGED, PlanChangeKind.ADDED, PlanChangeKind.REMOVED}
    for_a = await revision_changes(await actor(SUPPLIER_A), third)
    assert for_a.since == 1 and [(c.change, c.item_code) for c in for_a.changes] == [
        (PlanChangeKind.CHANGED, "FB-M8-30")]
    explicit = await revision_changes(await actor(SUPPLIER_A), third, since=2)
    assert [(c.change, c.item_code) for c in explicit.changes] == [
        (PlanChangeKind.CHANGED, "FB-M8-30"), (PlanChangeKind.REMOVED, "FW-M8")]
    with pytest.raises(DomainError) as refused:
        await revision_changes(await actor(SUPPLIER_B), third, since=2)  # B was not sent revision 2
    assert refused.value.field == "since"
    draft = await PlanRevision.get(plan_id=plan.id, revision=0)
    assert (await revision_changes(await actor(PROCUREMENT), draft)).since == 3


async def test_publish_refusals() -> None:
    documents = await unsigned_documents()
    plan = await draft_plan()
    unassigned = await line("FB-M8-30", "2030-W10", "1", None)
    cases = [
        (SUPPLIER_A, (), "", ("NOT_FOUND", "planId")),
        (ACCOUNTING, (), "", ("NOT_FOUND", "planId")),
        (AUDITOR, (), "", ("PERMISSION_DENIED", None)),
        (PROCUREMENT, (), "x" * 501, ("INVALID", "note")),
        (PROCUREMENT, (unassigned,), "", ("NO_RECIPIENTS", "lines")),
        (PROCUREMENT, (await line("FB-M8-30", "2030-W10", "-1"),), "", ("QUANTITY_NOT_POSITIVE",
                                                                        "lines[0].quantity")),
    ]
    for email, lines, note, expected in cases:
        with pytest.raises(DomainError) as refused:
            await publish(plan, documents, *lines, note=note, as_email=email)
        assert (refused.value.code, refused.value.field) == expected, (email, note)
    assert (await ProductionPlan.get(id=plan.id)).current_revision == 0  # nothing half-published
    assert await PlanLine.filter(revision__plan_id=plan.id, revision__revision=0).count() == 2
    with pytest.raises(DomainError) as refused:
        await planning.publish_plan_revision(await actor(PROCUREMENT), uuid.uuid4(), clock=clock(),
                                             documents=documents)
    assert refused.value.code == "NOT_FOUND"

    stale = await ProductionPlan.get(id=plan.id)
    await publish(plan, documents)
    with pytest.raises(DomainError) as refused:  # a publication read before the other one committed
        async with in_transaction() as connection:
            await planning._publish(connection, await actor(PROCUREMENT), stale, "", None, clock().now())
    assert refused.value.code == "CONFLICT"
    withdrawn = await ProductionPlan.get(id=plan.id)
    async with in_transaction() as connection:
        await tt.apply(connection, tt.PLAN, withdrawn, "withdraw", actor=await actor(PROCUREMENT), at=clock().now())
    with pytest.raises(DomainError) as refused:
        await publish(plan, documents)
    assert refused.value.code == "ILLEGAL_TRANSITION"


async def test_a_publication_whose_copies_failed_is_finished_by_a_retry_with_the_same_key() -> None:
    class Failing(UnsignedDocuments):
        async def issue(self, subject, context, *, actor, within=None):  # noqa: ANN001, ANN202
            raise DomainError("the signing key cannot be unsealed", code="SIGNING_UNAVAILABLE")

    plan = await draft_plan()
    key = f"publish-{uuid.uuid4()}"
    with pytest.raises(DomainError):
        await publish(plan, Failing((await unsigned_documents()).letterhead), key=key)
    revision = await PlanRevision.get(plan_id=plan.id, revision=1)
    assert not await Acknowledgement.filter(subject_id=revision.id).exists()
    again = await publish(plan, await unsigned_documents(), key=key)
    assert again.id == revision.id and (await ProductionPlan.get(id=plan.id)).current_revision == 1
    assert await Acknowledgement.filter(subject_id=revision.id).count() == 2
    assert await Document.filter(kind=DocumentKind.PRODUCTION_PLAN,
                                 subject_id__in=await PlanRecipient.filter(revision_id=revision.id).values_list(
                                     "id", flat=True)).count() == 2
    await publish(plan, await unsigned_documents(), key=key)  # nothing more to send
    assert await Acknowledgement.filter(subject_id=revision.id).count() == 2


# -- committing and the gap ------------------------------------------------------------------------------------------


async def published_plan() -> tuple[ProductionPlan, PlanRevision, dict[str, PlanLine]]:
    plan = await draft_plan(await line("FB-M8-30", "2030-W10", "1000"), await line("FN-M8", "2030-W10", "400"),
                            await line("FB-M8-30", "2030-W11", "800"),
                            await line("PL-CAP", "2030-W10", "500", "SUP-B"),
                            await line("SPARE", "2030-W10", "5", None))
    revision = await publish(plan, await unsigned_documents())
    lines = {f"{l.item_code}@{l.week}": l for l in await PlanLine.filter(revision_id=revision.id)}
    return await ProductionPlan.get(id=plan.id), revision, lines


async def test_a_supplier_commits_per_line_and_the_gap_shows_demand_against_commitments() -> None:
    plan, revision, lines = await published_plan()
    supplier_a = await actor(SUPPLIER_A)
    rows = await planning.commit_to_plan(supplier_a, revision.id, [
        CommitmentInput(lines["FB-M8-30@2030-W10"].id, Decimal(900), "模具检修 / tool maintenance"),
        CommitmentInput(lines["FN-M8@2030-W10"].id, Decimal(400))], clock=clock())
    assert [(r.quantity, r.note) for r in rows] == [(Decimal(900), "模具检修 / tool maintenance"), (Decimal(400), "")]
    # Committing again replaces the commitment.
    await planning.commit_to_plan(supplier_a, revision.id, [
        CommitmentInput(lines["FB-M8-30@2030-W10"].id, Decimal(1000), "ok")], clock=clock())
    assert await PlanCommitment.filter(line_id=lines["FB-M8-30@2030-W10"].id).count() == 1
    assert (await PlanCommitment.get(line_id=lines["FB-M8-30@2030-W10"].id)).quantity == Decimal(1000)
    assert await AuditEvent.filter(action="productionPlan.commit", subject_id=plan.id).count() == 2

    a, b = (await supplier("SUP-A")).id, (await supplier("SUP-B")).id
    gap = await plan_gap(await actor(PROCUREMENT), plan)
    assert [(r.week, r.supplier_id, r.demand, r.committed, r.shortfall, r.lines, r.committed_lines) for r in gap] == [
        ("2030-W10", a, Decimal(1400), Decimal(1400), Decimal(0), 2, 2),
        ("2030-W10", b, Decimal(500), Decimal(0), Decimal(500), 1, 0),
        ("2030-W10", None, Decimal(5), Decimal(0), Decimal(5), 1, 0),
        ("2030-W11", a, Decimal(800), Decimal(0), Decimal(800), 1, 0),
    ]
    own = await plan_gap(await actor(SUPPLIER_B), plan)
    assert [(r.week, r.supplier_id, r.demand) for r in own] == [("2030-W10", b, Decimal(500))]
    with pytest.raises(DomainError):
        await plan_gap(await actor(PROCUREMENT), plan, revision=7)


async def test_commit_refusals() -> None:
    plan, revision, lines = await published_plan()
    supplier_a = await actor(SUPPLIER_A)
    mine, theirs = lines["FB-M8-30@2030-W10"].id, lines["PL-CAP@2030-W10"].id

    async def refused(who, revision_id, commitments) -> tuple[str, str | None]:  # noqa: ANN001
        with pytest.raises(DomainError) as error:
            await planning.commit_to_plan(who, revision_id, commitments, clock=clock())
        return error.value.code, error.value.field

    cases = [
        (await actor(PROCUREMENT), revision.id, [CommitmentInput(mine, Decimal(1))], ("PERMISSION_DENIED", None)),
        (supplier_a, uuid.uuid4(), [CommitmentInput(mine, Decimal(1))], ("NOT_FOUND", "revisionId")),
        (supplier_a, revision.id, [CommitmentInput(theirs, Decimal(1))], ("NOT_FOUND", "lines[0].lineId")),
        (await actor(SUPPLIER_B), revision.id, [CommitmentInput(mine, Decimal(1))], ("NOT_FOUND", "lines[0].lineId")),
        (supplier_a, revision.id, [CommitmentInput(lines["SPARE@2030-W10"].id, Decimal(1))],
         ("NOT_FOUND", "lines[0].lineId")),
        (supplier_a, revision.id, [CommitmentInput(mine, Decimal(-1))], ("QUANTITY_NEGATIVE", "lines[0].quantity")),
        (supplier_a, revision.id, [CommitmentInput(mine, Decimal("0.0001"))], ("INVALID", "lines[0].quantity")),
        (supplier_a, revision.id, [CommitmentInput(mine, Decimal(1), "x" * 501)], ("INVALID", "lines[0].note")),
        (supplier_a, revision.id, [CommitmentInput(mine, Decimal(1)), CommitmentInput(mine, Decimal(2))],
         ("DUPLICATE_LINE", "lines[1].lineId")),
        (supplier_a, revision.id, [], ("INVALID", "lines")),
    ]
    for who, revision_id, commitments, expected in cases:
        assert await refused(who, revision_id, commitments) == expected, commitments
    # Zero is a commitment too ("we cannot make any").
    await planning.commit_to_plan(supplier_a, revision.id, [CommitmentInput(mine, Decimal(0))], clock=clock())

    newer = await publish(plan, await unsigned_documents())
    assert await refused(supplier_a, revision.id, [CommitmentInput(mine, Decimal(1))]) == (
        "REVISION_SUPERSEDED", "revisionId")
    newest_line = await PlanLine.get(revision_id=newer.id, item_code="FB-M8-30", week="2030-W10")
    withdrawn = await ProductionPlan.get(id=plan.id)
    async with in_transaction() as connection:
        await tt.apply(connection, tt.PLAN, withdrawn, "withdraw", actor=await actor(ADMIN), at=clock().now())
    assert await refused(supplier_a, newer.id, [CommitmentInput(newest_line.id, Decimal(1))]) == (
        "ILLEGAL_TRANSITION", "revisionId")
