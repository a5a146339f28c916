"""`issueContract` over GraphQL, and the supplier's answer to the contract with `acknowledge`."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from domain.enums import AcknowledgementStatus, ContractStatus
from domain.models import Acknowledgement, Contract, DocumentFile
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate
from workflows.documents.issuing import DocumentService
from workflows.documents.registry import verify_file

ISSUE = """
mutation($input: IssueContractInput!, $key: String) {
  issueContract(input: $input, idempotencyKey: $key) {
    contract { id number title status total { amount currency } validFrom validTo amends { id }
               supplier { code } lines { lineNo itemCode quantity unitPrice { amount } amount { amount } } }
    errors { code message field }
  }
}"""

ACKNOWLEDGE = """
mutation($input: AcknowledgeInput!) {
  acknowledge(input: $input) { acknowledgement { id status } errors { code message field } }
}"""


async def contract_input(**changes) -> dict:  # noqa: ANN003
    today = p.today()
    return {
        "validFrom": str(today), "validTo": str(today + timedelta(days=365)), "title": "年度协议 / Annual agreement",
        "supplierId": str((await p.supplier("SUP-A")).id),
        "lines": [{"itemCode": p.BOLT, "itemName": "六角螺栓 / Hex bolt", "quantity": "0", "unitPrice": "0.35"},
                  {"itemCode": p.BRACKET, "itemName": "安装支架 / Bracket", "quantity": "100", "unitPrice": "6.8",
                   "unit": "PCS"}],
        **changes,
    }


async def test_procurement_issues_a_signed_contract(signing_api: Api, token_for) -> None:
    token = await token_for(p.PROCUREMENT)
    key = f"contract-{uuid.uuid4()}"
    variables = {"input": await contract_input(), "key": key}
    payload = await mutate(signing_api, token, ISSUE, variables)
    assert payload["errors"] == []
    contract = payload["contract"]
    assert contract["status"] == "ISSUED" and contract["number"].startswith("HT-")
    assert contract["total"] == {"amount": "680.00", "currency": "CNY"} and contract["supplier"]["code"] == "SUP-A"
    assert [line["unitPrice"]["amount"] for line in contract["lines"]] == ["0.3500", "6.8000"]
    ack = await Acknowledgement.get(subject_id=contract["id"])
    assert ack.status == AcknowledgementStatus.PENDING and ack.document_id is not None
    again = await mutate(signing_api, token, ISSUE, variables)
    assert again["contract"]["id"] == contract["id"]


async def test_a_contract_from_an_award(signing_api: Api, token_for) -> None:
    _, awards = await p.awarded_tender(split=False)
    today = p.today()
    payload = await mutate(signing_api, await token_for(p.ADMIN), ISSUE, {"input": {
        "validFrom": str(today), "validTo": str(today + timedelta(days=30)), "awardId": str(awards[0].id)}})
    assert payload["errors"] == []
    lines = payload["contract"]["lines"]
    assert [(line["itemCode"], line["unitPrice"]["amount"]) for line in lines] == [(p.BOLT, "0.3300"),
                                                                                   (p.BRACKET, "6.5000")]


async def test_every_refusal_has_its_code_and_field(signing_api: Api, token_for) -> None:
    documents = await p.unsigned_documents()
    signed_b = await p.signed_contract(documents, "SUP-B")
    issued_a = await p.issued_contract(documents)
    tender, awards = await p.awarded_tender(split=True)
    await p.issued_contract(documents, award_id=awards[0].id, supplier_id=None, lines=(), title="")
    token = await token_for(p.PROCUREMENT)
    today = p.today()
    line = (await contract_input())["lines"][1]
    used_key = f"contract-{uuid.uuid4()}"
    assert (await mutate(signing_api, token, ISSUE, {"input": await contract_input(), "key": used_key}))["contract"]
    cases = [
        ({"validTo": str(today - timedelta(days=1)), "validFrom": str(today)}, None, "INVALID_PERIOD", "validTo"),
        ({"lines": []}, None, "NO_LINES", "lines"),
        ({"lines": [line, line]}, None, "DUPLICATE_ITEM", "lines[1].itemCode"),
        ({"lines": [{**line, "unitPrice": "-1"}]}, None, "PRICE_NEGATIVE", "lines[0].unitPrice"),
        ({"lines": [{**line, "quantity": "0.0001"}]}, None, "TOO_MANY_DECIMALS", "lines[0].quantity"),
        ({"title": ""}, None, "INVALID", "title"),
        ({"supplierId": str(uuid.uuid4())}, None, "NOT_FOUND", "supplierId"),
        ({"supplierId": str((await p.supplier("SUP-D")).id)}, None, "SUPPLIER_NOT_QUALIFIED", "supplierId"),
        ({"amendsId": str(signed_b.id)}, None, "SUPPLIER_MISMATCH", "amendsId"),
        ({"amendsId": str(issued_a.id)}, None, "CONTRACT_NOT_SIGNED", "amendsId"),
        ({"amendsId": str(uuid.uuid4())}, None, "NOT_FOUND", "amendsId"),
        ({"awardId": str(awards[0].id), "lines": []}, None, "ALREADY_CONTRACTED", "awardId"),
        ({"tenderId": str(tender.id), "supplierId": str((await p.supplier("SUP-C")).id), "lines": []}, None,
         "NOT_AWARDED", "supplierId"),
        ({"awardId": str(awards[1].id), "supplierId": str(awards[1].supplier_id), "lines": [], "currency": "USD"},
         None, "CURRENCY_MISMATCH", "currency"),
        ({"title": "another request"}, used_key, "IDEMPOTENCY_KEY_REUSED", "idempotencyKey"),
    ]
    for changes, key, code, field in cases:
        payload = await mutate(signing_api, token, ISSUE, {"input": await contract_input(**changes), "key": key})
        assert payload["contract"] is None and codes(payload) == [(code, field)], (changes, payload["errors"])


@pytest.mark.parametrize("email", [p.ACCOUNTING, p.AUDITOR, p.SUPPLIER_A])
async def test_other_roles_and_suppliers_may_not_issue(signing_api: Api, token_for, email: str) -> None:
    payload = await mutate(signing_api, await token_for(email), ISSUE, {"input": await contract_input()})
    assert payload["contract"] is None and [code for code, _ in codes(payload)] == ["PERMISSION_DENIED"]


async def test_without_signing_keys_nothing_is_issued(api: Api, token_for) -> None:
    before = await Contract.all().count()
    payload = await mutate(api, await token_for(p.PROCUREMENT), ISSUE, {"input": await contract_input()})
    assert [code for code, _ in codes(payload)] == ["SIGNING_UNAVAILABLE"]
    assert await Contract.all().count() == before


async def test_the_supplier_countersigns_and_another_supplier_cannot_answer(
        signing_api: Api, token_for, service: DocumentService) -> None:
    contract = await p.issued_contract(service)
    ack = await p.open_acknowledgement_of(contract)
    foreign = await mutate(signing_api, await token_for(p.SUPPLIER_B), ACKNOWLEDGE,
                           {"input": {"id": str(ack.id), "accept": True}})
    assert codes(foreign) == [("NOT_FOUND", "id")]
    accepted = await mutate(signing_api, await token_for(p.SUPPLIER_A), ACKNOWLEDGE,
                            {"input": {"id": str(ack.id), "accept": True}})
    assert accepted["errors"] == [] and accepted["acknowledgement"]["status"] == "ACKNOWLEDGED"
    assert (await Contract.get(id=contract.id)).status == ContractStatus.SIGNED
    stored = await DocumentFile.filter(version__document_id=ack.document_id, role="COUNTERSIGNED").first()
    report, _ = await verify_file(service.store.get(stored.storage_key), service.clock.now())
    assert report.ok and [s.field_name for s in report.signatures] == ["buyer", "supplier"]


async def test_the_supplier_rejects_with_a_reason(signing_api: Api, token_for) -> None:
    contract = await p.issued_contract(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(contract)
    token = await token_for(p.SUPPLIER_A)
    no_reason = await mutate(signing_api, token, ACKNOWLEDGE, {"input": {"id": str(ack.id), "accept": False}})
    assert codes(no_reason) == [("INVALID", "reason")]
    rejected = await mutate(signing_api, token, ACKNOWLEDGE, {"input": {
        "id": str(ack.id), "accept": False, "reason": "条款不接受 / terms not acceptable"}})
    assert rejected["errors"] == [] and rejected["acknowledgement"]["status"] == "REJECTED"
    contract = await Contract.get(id=contract.id)
    assert contract.status == ContractStatus.REJECTED and contract.rejection_reason == "条款不接受 / terms not acceptable"
