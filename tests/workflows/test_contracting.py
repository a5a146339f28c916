"""Issuing contracts (directly, from an award, as an amendment) and the supplier's answer, through the workflows."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.enums import AcknowledgementKind, AcknowledgementStatus, ContractStatus, DocumentKind
from domain.errors import DomainError
from domain.models import Acknowledgement, AuditEvent, Contract, ContractLine, Document, DocumentFile
from tests.support import procurement as p
from workflows import contracting
from workflows.deadlines.acknowledgements import acknowledge
from workflows.documents.issuing import DocumentService
from workflows.documents.registry import verify_file

pytestmark = pytest.mark.usefixtures("demo")


async def direct_input(**changes) -> contracting.ContractInput:  # noqa: ANN003
    today = p.today()
    return replace(contracting.ContractInput(
        valid_from=today, valid_to=today + timedelta(days=365), title="测试合同 / Test contract",
        supplier_id=(await p.supplier("SUP-A")).id, lines=p.contract_lines()), **changes)


async def test_a_contract_is_issued_with_its_signed_pdf_and_an_acknowledgement(service: DocumentService) -> None:
    contract = await contracting.issue_contract(await p.actor(p.PROCUREMENT), await direct_input(), clock=p.clock(),
                                                documents=service)
    assert contract.status == ContractStatus.ISSUED and contract.issued_at is not None
    assert contract.number.startswith("HT-") and contract.total_amount == Decimal("680.00")
    assert await ContractLine.filter(contract=contract).count() == 3
    document = await Document.get(kind=DocumentKind.CONTRACT, subject_id=contract.id)
    ack = await Acknowledgement.get(subject_id=contract.id)
    assert (ack.kind, ack.status, ack.document_id) == (AcknowledgementKind.CONTRACT, AcknowledgementStatus.PENDING,
                                                        document.id)
    assert ack.due_at > contract.issued_at and ack.supplier_id == contract.supplier_id
    actions = [e.action for e in await AuditEvent.filter(subject_id=contract.id).order_by("seq")]
    assert actions == ["contract.create", "contract.issue"]
    stored = await DocumentFile.get(version__document=document)
    report, issued = await verify_file(service.store.get(stored.storage_key), service.clock.now())
    assert report.ok and issued.number == contract.number
    assert [s.field_name for s in report.signatures] == ["buyer"]


async def test_the_supplier_accepts_countersigning_and_the_contract_is_signed(service: DocumentService) -> None:
    contract = await p.issued_contract(service)
    ack = await p.open_acknowledgement_of(contract)
    await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=True, clock=p.clock(), documents=service)
    contract = await Contract.get(id=contract.id)
    assert contract.status == ContractStatus.SIGNED and contract.signed_at is not None
    assert (await Acknowledgement.get(id=ack.id)).status == AcknowledgementStatus.ACKNOWLEDGED
    document = await Document.get(id=ack.document_id)
    latest = await DocumentFile.filter(version__document=document, role="COUNTERSIGNED").first()
    report, _ = await verify_file(service.store.get(latest.storage_key), service.clock.now())
    assert report.ok, report.to_text()
    assert [s.field_name for s in report.signatures] == ["buyer", "supplier"]
    assert all(s.intact and s.valid and s.trusted for s in report.signatures)


async def test_the_supplier_rejects_with_a_reason() -> None:
    contract = await p.issued_contract(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(contract)
    with pytest.raises(DomainError) as refused:
        await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, clock=p.clock())
    assert refused.value.field == "reason"
    await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, reason="价格过低 / price too low",
                      clock=p.clock())
    contract = await Contract.get(id=contract.id)
    assert contract.status == ContractStatus.REJECTED and contract.rejection_reason == "价格过低 / price too low"
    assert (await Acknowledgement.get(id=ack.id)).status == AcknowledgementStatus.REJECTED


async def test_another_supplier_cannot_answer_the_contract() -> None:
    contract = await p.issued_contract(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(contract)
    with pytest.raises(DomainError) as refused:
        await acknowledge(await p.actor(p.SUPPLIER_B), ack.id, accept=True, clock=p.clock())
    assert refused.value.code == "NOT_FOUND"
    assert (await Contract.get(id=contract.id)).status == ContractStatus.ISSUED


async def test_a_contract_from_an_award_carries_its_lines_and_prices() -> None:
    documents = await p.unsigned_documents()
    tender, awards = await p.awarded_tender(split=True)
    today = p.today()
    by_award = await contracting.issue_contract(
        await p.actor(p.PROCUREMENT), contracting.ContractInput(today, today + timedelta(days=90),
                                                                award_id=awards[0].id),
        clock=p.clock(), documents=documents)
    lines = await ContractLine.filter(contract=by_award).order_by("line_no")
    assert [(l.item_code, l.quantity, l.unit_price) for l in lines] == [(p.BOLT, Decimal(5000), Decimal("0.33"))]
    assert by_award.tender_id == tender.id and by_award.title.startswith("测试招标 / Test tender")
    assert by_award.supplier_id == awards[0].supplier_id and by_award.total_amount == Decimal("1650.00")
    by_tender = await contracting.issue_contract(
        await p.actor(p.ADMIN), contracting.ContractInput(today, today + timedelta(days=90), title="B 的合同",
                                                          tender_id=tender.id, supplier_id=awards[1].supplier_id),
        clock=p.clock(), documents=documents)
    lines = await ContractLine.filter(contract=by_tender)
    assert [(l.item_code, l.unit_price, l.amount) for l in lines] == [(p.BRACKET, Decimal("6.2"), Decimal("1240"))]
    with pytest.raises(DomainError) as again:
        await contracting.issue_contract(
            await p.actor(p.PROCUREMENT), contracting.ContractInput(today, today + timedelta(days=90),
                                                                    award_id=awards[0].id),
            clock=p.clock(), documents=documents)
    assert (again.value.code, again.value.field) == ("ALREADY_CONTRACTED", "awardId")


async def test_a_whole_tender_award_carries_every_line_of_the_winning_bid() -> None:
    tender, awards = await p.awarded_tender(whole=True)
    today = p.today()
    contract = await contracting.issue_contract(
        await p.actor(p.PROCUREMENT), contracting.ContractInput(today, today, award_id=awards[0].id),
        clock=p.clock(), documents=await p.unsigned_documents())
    lines = await ContractLine.filter(contract=contract).order_by("line_no")
    assert [(l.item_code, l.unit_price) for l in lines] == [(p.BOLT, Decimal("0.33")), (p.BRACKET, Decimal("6.5"))]


async def test_an_amendment_references_the_signed_contract_it_amends() -> None:
    documents = await p.unsigned_documents()
    signed = await p.signed_contract(documents)
    amendment = await contracting.issue_contract(
        await p.actor(p.PROCUREMENT), await direct_input(amends_id=signed.id, title="价格调整 / Price amendment"),
        clock=p.clock(), documents=documents)
    assert amendment.amends_id == signed.id and amendment.status == ContractStatus.ISSUED


async def refusal(data: contracting.ContractInput, email: str = p.PROCUREMENT) -> DomainError:
    before = await Contract.all().count()
    with pytest.raises(DomainError) as refused:
        await contracting.issue_contract(await p.actor(email), data, clock=p.clock(),
                                         documents=await p.unsigned_documents())
    assert await Contract.all().count() == before, "a refusal creates nothing"
    return refused.value


async def test_refusals_name_the_code_and_the_field() -> None:
    documents = await p.unsigned_documents()
    today = p.today()
    other_supplier = await p.signed_contract(documents, "SUP-B")
    not_signed = await p.issued_contract(documents)
    tender, awards = await p.awarded_tender(split=True)
    applied = (await p.supplier("SUP-D")).id
    line = p.contract_lines()[0]
    cases = [
        (dict(valid_to=today - timedelta(days=400), valid_from=today), "INVALID_PERIOD", "validTo"),
        (dict(valid_from=today - timedelta(days=30), valid_to=today - timedelta(days=1)), "INVALID_PERIOD", "validTo"),
        (dict(valid_to=today + timedelta(days=4000)), "INVALID_PERIOD", "validTo"),
        (dict(lines=()), "NO_LINES", "lines"),
        (dict(lines=(line, line)), "DUPLICATE_ITEM", "lines[1].itemCode"),
        (dict(lines=(replace(line, quantity=Decimal(-1)),)), "PRICE_NEGATIVE", "lines[0].quantity"),
        (dict(lines=(replace(line, unit_price=Decimal("0.12345")),)), "TOO_MANY_DECIMALS", "lines[0].unitPrice"),
        (dict(lines=(replace(line, unit_price=Decimal("1e14")),)), "TOO_LARGE", "lines[0].unitPrice"),
        (dict(lines=(replace(line, item_code=" "),)), "INVALID", "lines[0].itemCode"),
        (dict(lines=(replace(line, item_name="x" * 201),)), "INVALID", "lines[0].itemName"),
        (dict(title=""), "INVALID", "title"),
        (dict(currency="XYZ"), "INVALID", "currency"),
        (dict(supplier_id=None), "INVALID", "supplierId"),
        (dict(supplier_id=uuid.uuid4()), "NOT_FOUND", "supplierId"),
        (dict(supplier_id=applied), "SUPPLIER_NOT_QUALIFIED", "supplierId"),
        (dict(amends_id=uuid.uuid4()), "NOT_FOUND", "amendsId"),
        (dict(amends_id=other_supplier.id), "SUPPLIER_MISMATCH", "amendsId"),
        (dict(amends_id=not_signed.id), "CONTRACT_NOT_SIGNED", "amendsId"),
        (dict(award_id=uuid.uuid4(), lines=()), "NOT_FOUND", "awardId"),
        (dict(award_id=awards[0].id), "INVALID", "lines"),
        (dict(award_id=awards[0].id, tender_id=tender.id, lines=()), "INVALID", "tenderId"),
        (dict(award_id=awards[1].id, lines=()), "SUPPLIER_MISMATCH", "supplierId"),
        (dict(tender_id=tender.id, supplier_id=applied, lines=()), "NOT_AWARDED", "supplierId"),
        (dict(tender_id=uuid.uuid4(), lines=()), "NOT_FOUND", "tenderId"),
        (dict(award_id=awards[0].id, lines=(), currency="USD"), "CURRENCY_MISMATCH", "currency"),
    ]
    for changes, code, field in cases:
        error = await refusal(await direct_input(**changes))
        assert (error.code, error.field) == (code, field), (changes, error.message)


@pytest.mark.parametrize("email", [p.ACCOUNTING, p.AUDITOR, p.SUPPLIER_A])
async def test_only_procurement_and_admin_issue_contracts(email: str) -> None:
    assert (await refusal(await direct_input(), email)).code == "PERMISSION_DENIED"


async def test_an_idempotency_key_issues_once_and_a_retry_finishes_a_failed_signature() -> None:
    procurement = await p.actor(p.PROCUREMENT)
    data = await direct_input()
    key = f"contract-{uuid.uuid4()}"

    class FailingToSign:
        letterhead = None

        async def issue(self, subject, context, *, actor, within=None):  # noqa: ANN001, ANN202
            raise DomainError("the signing key is unavailable", code="SIGNING_UNAVAILABLE")

    failing = FailingToSign()
    failing.letterhead = (await p.unsigned_documents()).letterhead
    with pytest.raises(DomainError):
        await contracting.issue_contract(procurement, data, clock=p.clock(), documents=failing,
                                         idempotency_key=key)
    draft = await Contract.filter(owner_id=procurement.user_id).order_by("-id").first()  # ids follow creation
    assert draft.status == ContractStatus.DRAFT and not await Acknowledgement.filter(subject_id=draft.id).exists()
    documents = await p.unsigned_documents()
    retried = await contracting.issue_contract(procurement, data, clock=p.clock(), documents=documents,
                                               idempotency_key=key)
    assert retried.id == draft.id and retried.status == ContractStatus.ISSUED
    again = await contracting.issue_contract(procurement, data, clock=p.clock(), documents=documents,
                                             idempotency_key=key)
    assert again.id == draft.id and len(documents.issued) == 1
    assert await Acknowledgement.filter(subject_id=draft.id).count() == 1
    with pytest.raises(DomainError) as reused:
        await contracting.issue_contract(procurement, replace(data, title="另一个 / another"), clock=p.clock(),
                                         documents=documents, idempotency_key=key)
    assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"
