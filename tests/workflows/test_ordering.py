"""Purchase orders through the workflows: issuing (against a contract or standalone), the supplier's confirmation,
rejection or proposed change, the buyer's answer to a change, and cancelling."""

from __future__ import annotations

import asyncio
import re
import subprocess
import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.enums import AcknowledgementKind, AcknowledgementStatus as AS, DocumentKind, OrderStatus
from domain.errors import DomainError
from domain.models import (
    Acknowledgement, AuditEvent, Document, DocumentFile, DocumentVersion, IdempotencyKey, PurchaseOrder,
    PurchaseOrderLine,
)
from tests.support import procurement as p
from workflows import ordering, receiving
from workflows.deadlines.acknowledgements import acknowledge
from workflows.documents.issuing import DocumentService
from workflows.documents.registry import verify_file

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def documents() -> p.UnsignedDocuments:
    return await p.unsigned_documents()


@pytest.fixture
async def contract(documents: p.UnsignedDocuments):  # noqa: ANN201
    return await p.signed_contract(documents)


async def lines_of(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return await PurchaseOrderLine.filter(order_id=order.id).order_by("line_no")


async def test_an_order_under_a_contract_takes_its_prices_and_is_issued_with_an_acknowledgement(
        documents: p.UnsignedDocuments, contract) -> None:  # noqa: ANN001
    order = await p.issued_order(documents, contract=contract, quantities=(100, 50))
    assert order.status == OrderStatus.ISSUED and order.number.startswith("PO-") and order.issued_at is not None
    assert order.contract_id == contract.id and order.total_amount == Decimal("1020.00")
    lines = await lines_of(order)
    assert [(l.line_no, l.unit_price, l.item_name, l.unit) for l in lines] == [
        (1, Decimal("6.8"), "安装支架 / Mounting bracket", "PCS"), (2, Decimal("6.8"), "安装支架 / Mounting bracket",
                                                                   "PCS")]
    document = await Document.get(kind=DocumentKind.PURCHASE_ORDER, subject_id=order.id)
    ack = await Acknowledgement.get(subject_id=order.id)
    assert (ack.kind, ack.status, ack.document_id) == (AcknowledgementKind.PURCHASE_ORDER, AS.PENDING, document.id)
    assert await AuditEvent.filter(subject_id=order.id, action="purchaseOrder.issue").exists()


async def test_an_issued_order_has_its_buyer_signed_pdf(service: DocumentService) -> None:
    order = await p.issued_order(service)
    stored = await DocumentFile.get(version__document__subject_id=order.id)
    report, issued = await verify_file(service.store.get(stored.storage_key), service.clock.now())
    assert report.ok and issued.number == order.number and issued.kind == DocumentKind.PURCHASE_ORDER


async def test_a_price_override_needs_a_reason(documents: p.UnsignedDocuments, contract) -> None:  # noqa: ANN001
    line = replace(p.order_lines(10)[0], unit_price=Decimal("7.10"))
    data = ordering.OrderInput(lines=(p.order_lines(5)[0], line), contract_id=contract.id)
    with pytest.raises(DomainError) as refused:
        await ordering.issue_purchase_order(await p.actor(p.PROCUREMENT), data, clock=p.clock(), documents=documents)
    assert (refused.value.code, refused.value.field) == ("PRICE_MISMATCH", "lines[1].unitPrice")
    assert "line 2" in refused.value.message and p.BRACKET in refused.value.message
    order = await ordering.issue_purchase_order(
        await p.actor(p.PROCUREMENT), replace(data, price_override_reason="急单加价 / rush order surcharge"),
        clock=p.clock(), documents=documents)
    assert order.price_override_reason == "急单加价 / rush order surcharge"
    assert [l.unit_price for l in await lines_of(order)] == [Decimal("6.8"), Decimal("7.1")]


async def order_refusal(data: ordering.OrderInput, email: str = p.PROCUREMENT) -> DomainError:
    before = await PurchaseOrder.all().count()
    with pytest.raises(DomainError) as refused:
        await ordering.issue_purchase_order(await p.actor(email), data, clock=p.clock(),
                                            documents=await p.unsigned_documents())
    assert await PurchaseOrder.all().count() == before, "a refusal creates nothing"
    return refused.value


async def test_refusals_name_the_code_and_the_field(documents: p.UnsignedDocuments, contract) -> None:  # noqa: ANN001
    not_signed = await p.issued_contract(documents)
    today = p.today()
    not_yet_valid = await p.signed_contract(documents, valid_from=today + timedelta(days=10),
                                            valid_to=today + timedelta(days=20))
    a, b, d = [await p.supplier(code) for code in ("SUP-A", "SUP-B", "SUP-D")]
    line = p.order_lines(10)[0]
    standalone = replace(line, unit_price=Decimal("6.8"), item_name="支架 / Bracket")
    on = dict(contract_id=contract.id)
    cases = [
        (dict(on, lines=(replace(line, item_code="NOT-ON-IT"),)), "ITEM_NOT_ON_CONTRACT", "lines[0].itemCode"),
        (dict(on, lines=(line, replace(line, unit_price=Decimal(1)))), "PRICE_MISMATCH", "lines[1].unitPrice"),
        (dict(contract_id=not_signed.id, lines=(line,)), "CONTRACT_NOT_SIGNED", "contractId"),
        (dict(contract_id=not_yet_valid.id, lines=(line,)), "OUTSIDE_VALIDITY", "contractId"),
        (dict(on, supplier_id=b.id, lines=(line,)), "SUPPLIER_MISMATCH", "supplierId"),
        (dict(contract_id=uuid.uuid4(), lines=(line,)), "NOT_FOUND", "contractId"),
        (dict(on, currency="USD", lines=(line,)), "CURRENCY_MISMATCH", "currency"),
        (dict(on, lines=()), "NO_LINES", "lines"),
        (dict(on, lines=(replace(line, quantity=Decimal(0)),)), "QUANTITY_NOT_POSITIVE", "lines[0].quantity"),
        (dict(on, lines=(replace(line, quantity=Decimal("1.0001")),)), "TOO_MANY_DECIMALS", "lines[0].quantity"),
        (dict(on, lines=(replace(line, delivery_date=today - timedelta(days=2)),)), "DELIVERY_DATE_PASSED",
         "lines[0].deliveryDate"),
        (dict(on, lines=(line,), receipt_tolerance_percent=Decimal(101)), "TOO_LARGE", "receiptTolerancePercent"),
        (dict(on, lines=(line,), plant="x" * 65), "INVALID", "plant"),
        (dict(supplier_id=a.id, lines=(line,)), "INVALID", "lines[0].unitPrice"),
        (dict(supplier_id=a.id, lines=(replace(standalone, item_name=""),)), "INVALID", "lines[0].itemName"),
        (dict(lines=(standalone,)), "INVALID", "supplierId"),
        (dict(supplier_id=uuid.uuid4(), lines=(standalone,)), "NOT_FOUND", "supplierId"),
        (dict(supplier_id=d.id, lines=(standalone,)), "SUPPLIER_NOT_QUALIFIED", "supplierId"),
    ]
    for changes, code, field in cases:
        error = await order_refusal(ordering.OrderInput(**changes))
        assert (error.code, error.field) == (code, field), (changes, error.message)


@pytest.mark.parametrize("email", [p.ACCOUNTING, p.AUDITOR, p.SUPPLIER_A])
async def test_only_procurement_and_admin_issue_orders(email: str) -> None:
    data = ordering.OrderInput(lines=p.order_lines(1), supplier_id=(await p.supplier("SUP-A")).id)
    assert (await order_refusal(data, email)).code == "PERMISSION_DENIED"


async def test_an_idempotency_key_issues_one_order(documents: p.UnsignedDocuments, contract) -> None:  # noqa: ANN001
    procurement = await p.actor(p.PROCUREMENT)
    data = ordering.OrderInput(lines=p.order_lines(10), contract_id=contract.id)
    key = f"po-{uuid.uuid4()}"
    first = await ordering.issue_purchase_order(procurement, data, clock=p.clock(), documents=documents,
                                                idempotency_key=key)
    second = await ordering.issue_purchase_order(procurement, data, clock=p.clock(), documents=documents,
                                                 idempotency_key=key)
    assert first.id == second.id
    assert [s.number for s in documents.issued if s.kind == DocumentKind.PURCHASE_ORDER] == [first.number]
    assert await Acknowledgement.filter(subject_id=first.id).count() == 1


class SigningFailsOnce(p.UnsignedDocuments):
    """A document service whose first signing fails (a TSA or HSM outage), after rendering, as a real one would."""

    def __init__(self, inner: p.UnsignedDocuments) -> None:
        super().__init__(inner.letterhead)
        self.failures = 1

    async def issue(self, subject, context, *, actor, within=None):  # noqa: ANN001, ANN201
        if self.failures:
            self.failures -= 1
            raise RuntimeError("the signing service is unavailable")
        return await super().issue(subject, context, actor=actor, within=within)


@pytest.mark.parametrize("key", [None, "po-retry"], ids=["without-key", "with-key"])
async def test_a_failed_signing_leaves_no_order_and_the_request_can_be_sent_again(
        documents: p.UnsignedDocuments, contract, key: str | None) -> None:  # noqa: ANN001
    procurement = await p.actor(p.PROCUREMENT)
    data = ordering.OrderInput(lines=p.order_lines(10), contract_id=contract.id)
    key = key and f"{key}-{uuid.uuid4()}"
    flaky = SigningFailsOnce(documents)
    before = (await PurchaseOrder.all().count(), await Acknowledgement.all().count(),
              await AuditEvent.filter(action="purchaseOrder.issue").count())
    with pytest.raises(RuntimeError):
        await ordering.issue_purchase_order(procurement, data, clock=p.clock(), documents=flaky, idempotency_key=key)
    after = (await PurchaseOrder.all().count(), await Acknowledgement.all().count(),
             await AuditEvent.filter(action="purchaseOrder.issue").count())
    assert after == before, "an order whose PDF could not be signed is not recorded"
    if key is not None:
        assert not await IdempotencyKey.filter(key=key).exists(), "nor is its key: a retry issues the order"
    order = await ordering.issue_purchase_order(procurement, data, clock=p.clock(), documents=flaky,
                                                idempotency_key=key)
    assert order.status == OrderStatus.ISSUED
    document = await Document.get(kind=DocumentKind.PURCHASE_ORDER, subject_id=order.id)
    ack = await p.open_acknowledgement_of(order)
    assert ack.document_id == document.id and document.number == order.number
    assert [line.quantity for line in await lines_of(order)] == [Decimal(10)]
    assert await PurchaseOrder.all().count() == before[0] + 1


def pdf_text(pdf: bytes, tmp_path) -> str:  # noqa: ANN001
    path = tmp_path / "order.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return re.sub(r"\s+", "", text)  # pdftotext breaks lines where the layout wrapped them


async def test_an_accepted_change_re_issues_the_signed_pdf_on_the_new_terms(service: DocumentService,
                                                                            tmp_path) -> None:  # noqa: ANN001
    order = await p.issued_order(service, quantities=(100, 20))
    document = await Document.get(kind=DocumentKind.PURCHASE_ORDER, subject_id=order.id)
    first = await DocumentVersion.get(document=document, version=1)
    new_date = p.days_from_today(23)
    await propose(order, quantity=Decimal(80), delivery_date=new_date)
    ack = await p.open_acknowledgement_of(order)
    accepted = await ordering.accept_order_change(await p.actor(p.PROCUREMENT), order.id, clock=p.clock(),
                                                  documents=service)
    assert accepted.status == OrderStatus.CONFIRMED and accepted.total_amount == Decimal("680.00")
    document = await Document.get(id=document.id)
    second = await DocumentVersion.get(document=document, version=2)
    assert document.current_version == 2 and second.sha256 != first.sha256
    stored = await DocumentFile.get(version=second)
    pdf = service.store.get(stored.storage_key)
    report, issued = await verify_file(pdf, service.clock.now())
    assert report.ok and issued.number == order.number and issued.version == 2
    # Line 1 as printed: item, unit, quantity, unit price, amount, delivery date; then the total.
    old_line, new_line = "安装支架PCS1006.80680.00", f"安装支架PCS806.80544.00{new_date.isoformat()}"
    text = pdf_text(pdf, tmp_path)
    assert new_line in text and "CNY680.00" in text and old_line not in text
    assert "quantity100→80" in text, "the new version says what changed"
    old = pdf_text(service.store.get((await DocumentFile.get(version=first)).storage_key), tmp_path)
    assert old_line in old and "CNY816.00" in old and new_line not in old, "the first version keeps its terms"
    ack = await Acknowledgement.get(id=ack.id)
    assert ack.status == AS.ACKNOWLEDGED and ack.document_id == document.id
    event = await AuditEvent.get(subject_id=order.id, action="purchaseOrder.accept_change")
    assert event.data["document_version"] == 2


async def test_accepting_a_change_needs_the_signing_service_and_changes_nothing_without_it(
        documents: p.UnsignedDocuments) -> None:
    order = await p.issued_order(documents)
    await propose(order)
    with pytest.raises(DomainError) as refused:
        await ordering.accept_order_change(await p.actor(p.PROCUREMENT), order.id, clock=p.clock())
    assert refused.value.code == "SIGNING_UNAVAILABLE"
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CHANGE_PROPOSED
    assert (await lines_of(order))[0].quantity == Decimal(100)
    assert (await Document.get(subject_id=order.id)).current_version == 1


async def test_the_supplier_confirms_or_rejects_through_its_acknowledgement(documents: p.UnsignedDocuments) -> None:
    confirmed = await p.confirmed_order(documents)
    assert confirmed.status == OrderStatus.CONFIRMED and confirmed.confirmed_at is not None
    rejected = await p.issued_order(documents)
    ack = await p.open_acknowledgement_of(rejected)
    await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, reason="产能不足 / no capacity",
                      clock=p.clock())
    rejected = await PurchaseOrder.get(id=rejected.id)
    assert rejected.status == OrderStatus.REJECTED and rejected.rejection_reason == "产能不足 / no capacity"


@pytest.mark.parametrize("signed", [False, True], ids=["plain", "countersigned"])
async def test_two_confirmations_at_once_one_succeeds(signed: bool, service: DocumentService,
                                                      documents: p.UnsignedDocuments) -> None:
    order = await p.issued_order(service if signed else documents)
    ack = await p.open_acknowledgement_of(order)
    supplier = await p.actor(p.SUPPLIER_A)
    results = await asyncio.gather(*(
        acknowledge(supplier, ack.id, accept=True, clock=p.clock(), documents=service if signed else documents)
        for _ in range(2)), return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], DomainError), results
    assert failures[0].code in {"CONFLICT", "ILLEGAL_TRANSITION"}
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CONFIRMED
    assert await AuditEvent.filter(subject_id=order.id, action="purchaseOrder.confirm").count() == 1


async def propose(order: PurchaseOrder, email: str = p.SUPPLIER_A, **change) -> PurchaseOrder:  # noqa: ANN003
    [line] = (await lines_of(order))[:1]
    values = {"line_id": line.id, "quantity": Decimal(80), "delivery_date": p.days_from_today(21),
              "note": "原材料紧张 / material shortage", **change}
    return await ordering.propose_order_change(await p.actor(email), order.id,
                                               (ordering.LineChangeInput(**values),), clock=p.clock())


async def test_a_proposed_change_accepted_applies_to_the_order(documents: p.UnsignedDocuments,
                                                               contract) -> None:  # noqa: ANN001
    order = await p.issued_order(documents, contract=contract, quantities=(100, 20))
    proposed = await propose(order)
    assert proposed.status == OrderStatus.CHANGE_PROPOSED and proposed.change_proposed_at is not None
    line = (await lines_of(order))[0]
    assert (line.proposed_quantity, line.change_note) == (Decimal(80), "原材料紧张 / material shortage")
    ack = await Acknowledgement.get(subject_id=order.id)
    supplier = await p.actor(p.SUPPLIER_A)
    assert ack.status == AS.PENDING and ack.next_action_at is None and ack.answered_by_id == supplier.user_id
    with pytest.raises(DomainError) as confirming:  # the supplier has answered already: the buyer's turn
        await acknowledge(supplier, ack.id, accept=True, clock=p.clock())
    assert confirming.value.code == "ILLEGAL_TRANSITION"
    for email, code in ((p.ACCOUNTING, "PERMISSION_DENIED"), (p.SUPPLIER_A, "PERMISSION_DENIED"),
                        (p.SUPPLIER_B, "NOT_FOUND")):
        with pytest.raises(DomainError) as refused:
            await ordering.accept_order_change(await p.actor(email), order.id, clock=p.clock())
        assert refused.value.code == code, email
    accepted = await ordering.accept_order_change(await p.actor(p.PROCUREMENT), order.id, clock=p.clock(),
                                                  documents=documents)
    assert accepted.status == OrderStatus.CONFIRMED and accepted.total_amount == Decimal("680.00")
    lines = await lines_of(order)
    assert (lines[0].quantity, lines[0].amount, lines[0].delivery_date) == (Decimal(80), Decimal("544"),
                                                                            p.days_from_today(21))
    assert (lines[0].proposed_quantity, lines[0].proposed_delivery_date, lines[0].change_note) == (None, None, "")
    ack = await Acknowledgement.get(id=ack.id)
    assert ack.status == AS.ACKNOWLEDGED and ack.answered_by_id == supplier.user_id
    with pytest.raises(DomainError) as again:
        await ordering.accept_order_change(await p.actor(p.PROCUREMENT), order.id, clock=p.clock(),
                                           documents=documents)
    assert again.value.code == "ILLEGAL_TRANSITION"


async def test_a_proposed_change_rejected_restores_the_terms_to_answer_again(
        documents: p.UnsignedDocuments) -> None:
    order = await p.issued_order(documents)
    first_ack = await p.open_acknowledgement_of(order)
    await propose(order, quantity=None)
    with pytest.raises(DomainError) as refused:
        await ordering.reject_order_change(await p.actor(p.SUPPLIER_A), order.id, clock=p.clock())
    assert refused.value.code == "PERMISSION_DENIED"
    rejected = await ordering.reject_order_change(await p.actor(p.ADMIN), order.id, "交期不能推迟 / date is firm",
                                                  clock=p.clock())
    assert rejected.status == OrderStatus.ISSUED
    line = (await lines_of(order))[0]
    assert (line.proposed_quantity, line.proposed_delivery_date, line.change_note) == (None, None, "")
    assert (await Acknowledgement.get(id=first_ack.id)).status == AS.CANCELLED
    new_ack = await p.open_acknowledgement_of(order)
    assert new_ack.id != first_ack.id and new_ack.document_id == first_ack.document_id
    assert new_ack.next_action_at is not None
    await acknowledge(await p.actor(p.SUPPLIER_A), new_ack.id, accept=True, clock=p.clock(), documents=documents)
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CONFIRMED


async def test_proposal_refusals(documents: p.UnsignedDocuments) -> None:
    order = await p.issued_order(documents, quantities=(10, 20))
    lines = await lines_of(order)
    other = await p.issued_order(documents)
    other_line = (await lines_of(other))[0]
    change = ordering.LineChangeInput
    cases = [
        (p.SUPPLIER_B, (change(lines[0].id, Decimal(5)),), "NOT_FOUND", "id"),
        (p.PROCUREMENT, (change(lines[0].id, Decimal(5)),), "PERMISSION_DENIED", None),
        (p.SUPPLIER_A, (), "NO_LINES", "lines"),
        (p.SUPPLIER_A, (change(other_line.id, Decimal(5)),), "NOT_FOUND", "lines[0].lineId"),
        (p.SUPPLIER_A, (change(lines[0].id, Decimal(5)), change(lines[0].id, Decimal(6))), "DUPLICATE_LINE",
         "lines[1].lineId"),
        (p.SUPPLIER_A, (change(lines[0].id),), "INVALID", "lines[0]"),
        (p.SUPPLIER_A, (change(lines[1].id, Decimal(20)),), "NO_CHANGE", "lines[0]"),
        (p.SUPPLIER_A, (change(lines[0].id, Decimal(-1)),), "QUANTITY_NOT_POSITIVE", "lines[0].quantity"),
        (p.SUPPLIER_A, (change(lines[0].id, None, p.days_from_today(-3)),), "DELIVERY_DATE_PASSED",
         "lines[0].deliveryDate"),
        (p.SUPPLIER_A, (change(lines[0].id, Decimal(5), note="x" * 501),), "INVALID", "lines[0].note"),
    ]
    for email, changes, code, field in cases:
        with pytest.raises(DomainError) as refused:
            await ordering.propose_order_change(await p.actor(email), order.id, changes, clock=p.clock())
        assert (refused.value.code, refused.value.field) == (code, field), (email, changes, refused.value.message)
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.ISSUED
    confirmed = await p.confirmed_order(documents)
    with pytest.raises(DomainError) as late:
        await propose(confirmed)
    assert late.value.code == "ILLEGAL_TRANSITION"


async def test_cancelling_needs_a_reason_and_nothing_received(documents: p.UnsignedDocuments) -> None:
    order = await p.issued_order(documents)
    procurement = await p.actor(p.PROCUREMENT)
    for email, reason, code in ((p.PROCUREMENT, " ", "INVALID"), (p.ACCOUNTING, "x", "PERMISSION_DENIED"),
                                (p.SUPPLIER_A, "x", "PERMISSION_DENIED"), (p.SUPPLIER_B, "x", "NOT_FOUND")):
        with pytest.raises(DomainError) as refused:
            await ordering.cancel_purchase_order(await p.actor(email), order.id, reason, clock=p.clock())
        assert refused.value.code == code, email
    cancelled = await ordering.cancel_purchase_order(procurement, order.id, "需求取消 / demand withdrawn",
                                                     clock=p.clock())
    assert cancelled.status == OrderStatus.CANCELLED and cancelled.cancel_reason == "需求取消 / demand withdrawn"
    assert (await Acknowledgement.get(subject_id=order.id)).status == AS.CANCELLED
    with pytest.raises(DomainError) as twice:
        await ordering.cancel_purchase_order(procurement, order.id, "again", clock=p.clock())
    assert twice.value.code == "ILLEGAL_TRANSITION"

    received = await p.confirmed_order(documents)
    line = (await lines_of(received))[0]
    await receiving.record_goods_receipt(
        procurement, receiving.ReceiptInput(received.id, (receiving.ReceiptLineInput(line.id, Decimal(1)),)),
        clock=p.clock())
    with pytest.raises(DomainError) as after_receipt:
        await ordering.cancel_purchase_order(procurement, received.id, "too late", clock=p.clock())
    assert (after_receipt.value.code, after_receipt.value.field) == ("ALREADY_RECEIVED", "id")
    assert (await PurchaseOrder.get(id=received.id)).status == OrderStatus.CONFIRMED
