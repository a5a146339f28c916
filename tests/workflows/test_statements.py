"""Statements through the workflows (no GraphQL): generation and its figures, issue, confirmation, dispute, revision,
bulk generation and the CSV export. Each test states its own months of 2021, far from the demo's receipts."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from domain.enums import AcknowledgementStatus, DocumentKind, StatementLineKind, StatementStatus
from domain.errors import DomainError
from domain.models import (
    Acknowledgement, AuditEvent, Dispute, Document, Signature, Statement, StatementLine,
)
from workflows import statements
from workflows.deadlines.acknowledgements import acknowledge
from workflows.statement_csv import statement_csv
from workflows.statements import DeductionInput, DisputedLine, OutcomeKind

from tests.support.procurement import (
    ACCOUNTING, ADMIN, AUDITOR, PROCUREMENT, SUPPLIER_A, SUPPLIER_B, UnsignedDocuments, actor, clock, supplier,
    unsigned_documents,
)
from tests.support.statement_world import Delivery, deliveries

pytestmark = pytest.mark.usefixtures("demo")


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def generate(supplier_code: str, period: str, *deductions: DeductionInput, key: str | None = None,
                   as_email: str = ACCOUNTING) -> Statement:
    return await statements.generate_statement(await actor(as_email), (await supplier(supplier_code)).id, period,
                                               clock=clock(), deductions=deductions, idempotency_key=key)


async def lines_of(statement: Statement) -> list[tuple]:
    rows = await StatementLine.filter(statement_id=statement.id).order_by("line_no")
    return [(row.line_no, row.kind, row.description, row.quantity, row.unit_price, row.amount) for row in rows]


PENALTY = DeductionInput("逾期交货违约金 / Late delivery penalty", Decimal("120.00"))


async def test_receipts_are_priced_for_their_accepted_quantity_and_rounded_half_up_per_line() -> None:
    await deliveries(
        "SUP-A",
        Delivery(at("2021-01-05T02:00:00"), price="2.0050", received="5"),  # 10.025 -> 10.03 (half even: 10.02)
        Delivery(at("2021-01-06T02:00:00"), price="0.3550", received="1001", rejected="1"),  # 1000 x 0.355
        Delivery(at("2021-01-07T02:00:00"), price="6.8000", received="100", rejected="100"),  # all rejected
    )
    statement = await generate("SUP-A", "2021-01", PENALTY)
    assert statement.status is StatementStatus.DRAFT and statement.version == 1 and statement.previous_id is None
    assert statement.number.startswith("DZD-") and statement.period == "2021-01"
    assert (statement.period_start.isoformat(), statement.period_end.isoformat()) == ("2021-01-01", "2021-01-31")
    assert (statement.goods_amount, statement.deduction_amount, statement.total_amount) == (
        Decimal("365.03"), Decimal("120.00"), Decimal("245.03"))
    lines = await lines_of(statement)
    assert [(kind, quantity, price, amount) for _, kind, _, quantity, price, amount in lines] == [
        (StatementLineKind.RECEIPT, Decimal(5), Decimal("2.005"), Decimal("10.03")),
        (StatementLineKind.RECEIPT, Decimal(1000), Decimal("0.355"), Decimal("355.00")),
        (StatementLineKind.RECEIPT, Decimal(0), Decimal("6.8"), Decimal("0.00")),
        (StatementLineKind.DEDUCTION, Decimal(1), Decimal("120.00"), Decimal("-120.00")),
    ]
    assert "1 PCS rejected" in lines[1][2] and "rejected" not in lines[0][2]
    assert lines[3][2] == PENALTY.description
    event = await AuditEvent.get(action="statement.generate", subject_id=statement.id)
    assert event.data["total"] == "245.03" and event.supplier_id == statement.supplier_id


async def test_a_month_is_counted_in_shanghai_time() -> None:
    await deliveries(
        "SUP-B",
        Delivery(at("2021-02-28T15:59:59"), price="1", received="1"),  # 23:59:59 on 28 February in Shanghai
        Delivery(at("2021-02-28T16:00:00"), price="1", received="10"),  # 00:00 on 1 March
        Delivery(at("2021-03-31T15:59:59"), price="1", received="100"),  # 23:59:59 on 31 March
        Delivery(at("2021-03-31T16:00:00"), price="1", received="1000"),  # 00:00 on 1 April
    )
    march = await generate("SUP-B", "2021-03")
    assert march.goods_amount == Decimal("110.00")


async def test_the_same_receipts_always_give_the_same_statement_to_the_cent() -> None:
    # Recorded out of order: the lines still come in the order of receipt.
    await deliveries("SUP-C", Delivery(at("2021-04-20T02:00:00"), price="3.3333", received="7.5"),
                     Delivery(at("2021-04-02T02:00:00"), price="0.0125", received="3"),
                     Delivery(at("2021-04-11T02:00:00"), price="12.3456", received="0.333", rejected="0.001"))
    first = await generate("SUP-C", "2021-04", PENALTY)
    second = await generate("SUP-C", "2021-04", PENALTY)
    assert (first.goods_amount, first.deduction_amount, first.total_amount) == (
        second.goods_amount, second.deduction_amount, second.total_amount)
    assert [line[1:] for line in await lines_of(first)] == [line[1:] for line in await lines_of(second)]
    assert [line[5] for line in await lines_of(first)] == [Decimal("0.04"), Decimal("4.10"), Decimal("25.00"),
                                                            Decimal("-120.00")]
    # Generating again replaces the draft, which never went out; the history stays.
    assert (await Statement.get(id=first.id)).status is StatementStatus.SUPERSEDED
    assert second.version == 2 and second.previous_id is None and second.number == f"{first.number}-V2"


@pytest.mark.parametrize(("as_email", "supplier_code", "period", "deductions", "code", "field"), [
    (PROCUREMENT, "SUP-A", "2021-05", (), "PERMISSION_DENIED", None),
    (SUPPLIER_A, "SUP-A", "2021-05", (), "PERMISSION_DENIED", None),
    (AUDITOR, "SUP-A", "2021-05", (), "PERMISSION_DENIED", None),
    (ACCOUNTING, "BUYER", "2021-05", (), "NOT_FOUND", "supplierId"),
    (ACCOUNTING, "SUP-A", "2021-5", (), "INVALID", "period"),
    (ACCOUNTING, "SUP-A", "2099-01", (), "PERIOD_NOT_STARTED", "period"),
    (ACCOUNTING, "SUP-A", "2021-05", (DeductionInput("x", Decimal("-1")),), "AMOUNT_NOT_POSITIVE",
     "deductions[0].amount"),
    (ACCOUNTING, "SUP-A", "2021-05", (PENALTY, DeductionInput("x", Decimal("1.005"))), "INVALID",
     "deductions[1].amount"),
    (ACCOUNTING, "SUP-A", "2021-05", (DeductionInput("  ", Decimal("1")),), "INVALID",
     "deductions[0].description"),
    (ADMIN, "SUP-A", "2021-05", (), "NOTHING_TO_STATE", "period"),
])
async def test_generation_refusals(as_email, supplier_code, period, deductions, code, field) -> None:  # noqa: ANN001
    with pytest.raises(DomainError) as refused:
        await generate(supplier_code, period, *deductions, as_email=as_email)
    assert (refused.value.code, refused.value.field) == (code, field)


async def test_an_unknown_supplier_and_mixed_currencies_are_refused() -> None:
    with pytest.raises(DomainError) as refused:
        await statements.generate_statement(await actor(ACCOUNTING), uuid.uuid4(), "2021-05", clock=clock())
    assert refused.value.code == "NOT_FOUND"
    await deliveries("SUP-D", Delivery(at("2021-05-03T02:00:00"), price="1", received="1"))
    await deliveries("SUP-D", Delivery(at("2021-05-04T02:00:00"), price="1", received="1"), currency="USD")
    with pytest.raises(DomainError) as refused:
        await generate("SUP-D", "2021-05")
    assert (refused.value.code, refused.value.field) == ("MIXED_CURRENCIES", "supplierId")


async def test_a_retried_generation_creates_nothing_twice() -> None:
    await deliveries("SUP-A", Delivery(at("2021-06-03T02:00:00"), price="1.5", received="10"))
    first = await generate("SUP-A", "2021-06", key="gen-2021-06")
    again = await generate("SUP-A", "2021-06", key="gen-2021-06")
    assert again.id == first.id and await Statement.filter(period="2021-06", supplier_id=first.supplier_id).count() == 1
    with pytest.raises(DomainError) as refused:
        await generate("SUP-A", "2021-06", PENALTY, key="gen-2021-06")
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


async def test_issue_signs_the_statement_and_the_supplier_confirms_by_countersigning(service) -> None:  # noqa: ANN001
    await deliveries("SUP-A", Delivery(at("2021-08-10T02:00:00"), price="6.8", received="200", rejected="3"))
    draft = await generate("SUP-A", "2021-08", PENALTY)
    issued = await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(), documents=service)
    assert issued.status is StatementStatus.ISSUED and issued.issued_at is not None
    document = await Document.get(kind=DocumentKind.STATEMENT, subject_id=draft.id)
    assert document.current_version == 1 and document.supplier_id == draft.supplier_id
    ack = await Acknowledgement.get(subject_id=draft.id)
    assert ack.status is AcknowledgementStatus.PENDING and ack.document_id == document.id
    assert ack.due_at > issued.issued_at
    assert await AuditEvent.filter(action="statement.issue", subject_id=draft.id).exists()
    # Issued once only.
    with pytest.raises(DomainError) as refused:
        await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(), documents=service)
    assert refused.value.code == "ILLEGAL_TRANSITION"

    await acknowledge(await actor(SUPPLIER_A), ack.id, accept=True, clock=clock(), documents=service)
    assert (await Statement.get(id=draft.id)).status is StatementStatus.CONFIRMED
    assert await Signature.filter(version__document_id=document.id).count() == 2
    # A confirmed statement is final.
    with pytest.raises(DomainError) as refused:
        await generate("SUP-A", "2021-08")
    assert refused.value.code == "STATEMENT_CONFIRMED"


@pytest.mark.parametrize(("as_email", "code"), [
    (SUPPLIER_A, "NOT_FOUND"),  # a draft is not the supplier's to see
    (SUPPLIER_B, "NOT_FOUND"),
    (PROCUREMENT, "NOT_FOUND"),  # procurement does not read statements at all
    (AUDITOR, "PERMISSION_DENIED"),
])
async def test_issue_refusals(as_email: str, code: str) -> None:
    await deliveries("SUP-A", Delivery(at("2021-10-10T02:00:00"), price="1", received="1"))
    draft = await generate("SUP-A", "2021-10")
    with pytest.raises(DomainError) as refused:
        await statements.issue_statement(await actor(as_email), draft.id, clock=clock(),
                                         documents=await unsigned_documents())
    assert refused.value.code == code


async def test_a_failed_signature_leaves_the_draft_as_it_was() -> None:
    class Unavailable(UnsignedDocuments):
        async def issue(self, subject, context, *, actor, within=None):  # noqa: ANN001, ANN202
            raise DomainError("the time-stamping authority does not answer", code="SIGNING_UNAVAILABLE")

    await deliveries("SUP-B", Delivery(at("2021-11-10T02:00:00"), price="1", received="1"))
    draft = await generate("SUP-B", "2021-11")
    documents = Unavailable((await unsigned_documents()).letterhead)
    with pytest.raises(DomainError):
        await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(), documents=documents)
    assert (await Statement.get(id=draft.id)).status is StatementStatus.DRAFT
    assert not await Acknowledgement.filter(subject_id=draft.id).exists()
    # A retry issues it.
    await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(),
                                     documents=await unsigned_documents())
    assert (await Statement.get(id=draft.id)).status is StatementStatus.ISSUED


async def test_a_disputed_statement_is_revised_and_reissued_and_the_history_stays() -> None:
    documents = await unsigned_documents()
    await deliveries("SUP-B", Delivery(at("2021-12-01T02:00:00"), price="2", received="10"),
                     Delivery(at("2021-12-02T02:00:00"), price="3", received="10"))
    first = await generate("SUP-B", "2021-12")
    await statements.issue_statement(await actor(ACCOUNTING), first.id, clock=clock(), documents=documents)
    line = await StatementLine.get(statement_id=first.id, line_no=2)
    disputed = await statements.dispute_statement(
        await actor(SUPPLIER_B), first.id, [DisputedLine(line.id, "只收到 9 件 / only 9 arrived")],
        reason="请核对 / please check", clock=clock())
    assert disputed.status is StatementStatus.DISPUTED and disputed.disputed_at is not None
    rows = await Dispute.filter(statement_id=first.id).order_by("created_at", "statement_line_id")
    assert {(row.statement_line_id, row.reason) for row in rows} == {
        (line.id, "只收到 9 件 / only 9 arrived"), (None, "请核对 / please check")}
    ack = await Acknowledgement.get(subject_id=first.id)
    assert ack.status is AcknowledgementStatus.REJECTED and "#2: 只收到 9 件" in ack.rejection_reason
    assert await AuditEvent.filter(action="statement.dispute", subject_id=first.id).exists()

    revised = await generate("SUP-B", "2021-12", DeductionInput("更正 / correction", Decimal("3")))
    assert (revised.version, revised.previous_id, revised.number) == (2, first.id, f"{first.number}-V2")
    assert (await Statement.get(id=first.id)).status is StatementStatus.DISPUTED  # until the revision is issued
    await statements.issue_statement(await actor(ACCOUNTING), revised.id, clock=clock(), documents=documents)
    assert (await Statement.get(id=first.id)).status is StatementStatus.SUPERSEDED
    assert (await Statement.get(id=revised.id)).status is StatementStatus.ISSUED
    assert await AuditEvent.filter(action="statement.supersede", subject_id=first.id).exists()
    assert await Document.filter(kind=DocumentKind.STATEMENT, subject_id__in=[first.id, revised.id]).count() == 2


async def test_reissuing_cancels_what_the_previous_version_still_waited_for() -> None:
    documents = await unsigned_documents()
    await deliveries("SUP-C", Delivery(at("2022-01-05T02:00:00"), price="2", received="10"))
    first = await generate("SUP-C", "2022-01")
    await statements.issue_statement(await actor(ACCOUNTING), first.id, clock=clock(), documents=documents)
    revised = await generate("SUP-C", "2022-01", PENALTY)
    await statements.issue_statement(await actor(ADMIN), revised.id, clock=clock(), documents=documents)
    assert (await Acknowledgement.get(subject_id=first.id)).status is AcknowledgementStatus.CANCELLED
    assert (await Acknowledgement.get(subject_id=revised.id)).status is AcknowledgementStatus.PENDING
    assert revised.total_amount == Decimal("-100.00")  # a statement may end in the buyer's favour


async def test_dispute_refusals() -> None:
    documents = await unsigned_documents()
    await deliveries("SUP-A", Delivery(at("2022-02-05T02:00:00"), price="2", received="10"))
    draft = await generate("SUP-A", "2022-02")
    line = await StatementLine.get(statement_id=draft.id, line_no=1)
    supplier_a = await actor(SUPPLIER_A)

    async def refused(who, statement_id, lines, reason="") -> tuple[str, str | None]:  # noqa: ANN001
        with pytest.raises(DomainError) as error:
            await statements.dispute_statement(who, statement_id, lines, reason=reason, clock=clock())
        return error.value.code, error.value.field

    assert await refused(supplier_a, draft.id, [DisputedLine(line.id, "x")]) == ("NOT_FOUND", "id")  # a draft
    await statements.issue_statement(await actor(ACCOUNTING), draft.id, clock=clock(), documents=documents)
    other = await StatementLine.exclude(statement_id=draft.id).first()
    cases = [
        (await actor(ACCOUNTING), [DisputedLine(line.id, "x")], "", ("PERMISSION_DENIED", None)),
        (await actor(SUPPLIER_B), [DisputedLine(line.id, "x")], "", ("NOT_FOUND", "id")),
        (supplier_a, [], "", ("NOTHING_DISPUTED", "lines")),
        (supplier_a, [DisputedLine(line.id, " ")], "", ("INVALID", "lines[0].reason")),
        (supplier_a, [DisputedLine(line.id, "a"), DisputedLine(line.id, "b")], "", ("DUPLICATE_LINE",
                                                                                   "lines[1].lineId")),
        (supplier_a, [DisputedLine(line.id, "a"), DisputedLine(other.id, "b")], "", ("NOT_FOUND", "lines[1].lineId")),
        (supplier_a, [], "x" * 1001, ("INVALID", "reason")),
    ]
    for who, lines, reason, expected in cases:
        assert await refused(who, draft.id, lines, reason) == expected, (lines, reason)
    await statements.dispute_statement(supplier_a, draft.id, [], reason="整单有误 / all wrong", clock=clock())
    assert await refused(supplier_a, draft.id, [], "again") == ("ILLEGAL_TRANSITION", "id")


async def test_bulk_generation_goes_on_past_a_failing_supplier_and_skips_months_already_stated() -> None:
    await deliveries("SUP-A", Delivery(at("2022-03-03T02:00:00"), price="4", received="25"))
    await deliveries("SUP-B", Delivery(at("2022-03-03T02:00:00"), price="1", received="1"))
    await deliveries("SUP-B", Delivery(at("2022-03-04T02:00:00"), price="1", received="1"), currency="EUR")
    await deliveries("SUP-C", Delivery(at("2022-03-05T02:00:00"), price="1", received="1"))
    existing = await generate("SUP-C", "2022-03")
    calls: list[tuple] = []

    result = await statements.generate_statements(
        "2022-03", await actor(ACCOUNTING), clock(),
        lambda done, total, outcome: calls.append((done, total, outcome and outcome.supplier_code)))
    assert [(o.supplier_code, o.kind) for o in result.outcomes] == [
        ("SUP-A", OutcomeKind.GENERATED), ("SUP-B", OutcomeKind.FAILED), ("SUP-C", OutcomeKind.SKIPPED)]
    assert calls == [(0, 3, None), (1, 3, "SUP-A"), (2, 3, "SUP-B"), (3, 3, "SUP-C")]
    assert result.failed and "currencies" in result.outcomes[1].message
    assert result.outcomes[0].statement.total_amount == Decimal("100.00")
    assert result.outcomes[2].statement.id == existing.id
    again = await statements.generate_statements("2022-03", await actor(ACCOUNTING), clock())
    assert [o.kind for o in again.outcomes] == [OutcomeKind.SKIPPED, OutcomeKind.FAILED, OutcomeKind.SKIPPED]
    with pytest.raises(DomainError):
        await statements.generate_statements("2022-03", await actor(PROCUREMENT), clock())


async def test_the_csv_export_opens_in_excel_with_its_chinese_text_and_totals() -> None:
    await deliveries("SUP-D", Delivery(at("2022-04-03T02:00:00"), price="0.3550", received="1001", rejected="1"))
    statement = await generate("SUP-D", "2022-04", DeductionInput("=HYPERLINK(\"x\") 扣款", Decimal("5.5")))
    export = await statement_csv(statement)
    assert export.file_name == f"statement-{statement.number}.csv"
    assert export.content.startswith("\ufeff".encode()) and export.media_type.startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    header, receipt, deduction, *totals = rows
    assert header[0] == "对账单号 Statement" and header[13] == "金额 Amount" and len(rows) == 6
    assert receipt[:5] == [statement.number, "1", "CNY", "1", "收货 Receipt"]
    assert receipt[5] == "2022-04-03" and receipt[9] == "六角螺栓 M8×30 / Hex bolt M8x30"
    assert receipt[11:14] == ["1000.000", "0.3550", "355.00"]
    assert deduction[4] == "扣款 Deduction" and deduction[13] == "-5.50"
    assert deduction[14] == "'=HYPERLINK(\"x\") 扣款"  # shown, never run
    assert [(row[4], row[13]) for row in totals] == [
        ("收货金额合计 Goods received", "355.00"), ("扣款合计 Deductions", "-5.50"), ("应付金额 Amount due", "349.50")]
