"""`issuePurchaseOrder` over GraphQL."""

from __future__ import annotations

import uuid

import pytest

from domain.enums import AcknowledgementStatus, DocumentKind
from domain.models import Acknowledgement, Document, PurchaseOrder
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate

ISSUE = """
mutation($input: IssuePurchaseOrderInput!, $key: String) {
  issuePurchaseOrder(input: $input, idempotencyKey: $key) {
    purchaseOrder { id number status total { amount } contract { number } supplier { code }
                    lines { lineNo itemCode itemName quantity unitPrice { amount } deliveryDate } }
    errors { code message field }
  }
}"""


def line(quantity: str = "100", **changes) -> dict:  # noqa: ANN003
    return {"itemCode": p.BRACKET, "quantity": quantity, "deliveryDate": str(p.days_from_today(14)), **changes}


@pytest.fixture
async def contract():  # noqa: ANN201
    return await p.signed_contract(await p.unsigned_documents())


async def test_an_order_under_a_contract_is_issued_with_its_pdf(signing_api: Api, token_for,
                                                                 contract) -> None:  # noqa: ANN001
    token = await token_for(p.PROCUREMENT)
    variables = {"input": {"contractId": str(contract.id), "lines": [line("100"), line("5", itemCode=p.BOLT)],
                           "plant": "苏州一厂 / Suzhou Plant 1"}, "key": f"po-{uuid.uuid4()}"}
    payload = await mutate(signing_api, token, ISSUE, variables)
    assert payload["errors"] == []
    order = payload["purchaseOrder"]
    assert order["status"] == "ISSUED" and order["number"].startswith("PO-")
    assert order["contract"]["number"] == contract.number and order["supplier"]["code"] == "SUP-A"
    assert order["total"]["amount"] == "681.75"
    assert [(l["itemCode"], l["unitPrice"]["amount"]) for l in order["lines"]] == [(p.BRACKET, "6.8000"),
                                                                                  (p.BOLT, "0.3500")]
    assert await Document.filter(kind=DocumentKind.PURCHASE_ORDER, subject_id=order["id"], current_version=1).exists()
    ack = await Acknowledgement.get(subject_id=order["id"])
    assert ack.status == AcknowledgementStatus.PENDING and ack.document_id is not None
    again = await mutate(signing_api, token, ISSUE, variables)
    assert again["purchaseOrder"]["id"] == order["id"]


async def test_a_standalone_order(signing_api: Api, token_for) -> None:
    payload = await mutate(signing_api, await token_for(p.ADMIN), ISSUE, {"input": {
        "supplierId": str((await p.supplier("SUP-B")).id),
        "lines": [line("10", itemCode="X-1", itemName="样品 / Sample", unitPrice="12.5")]}})
    assert payload["errors"] == [] and payload["purchaseOrder"]["contract"] is None
    assert payload["purchaseOrder"]["total"]["amount"] == "125.00"


async def test_every_refusal_has_its_code_and_field(signing_api: Api, token_for, contract) -> None:  # noqa: ANN001
    documents = await p.unsigned_documents()
    not_signed = await p.issued_contract(documents)
    later = await p.signed_contract(documents, valid_from=p.days_from_today(30), valid_to=p.days_from_today(60))
    token = await token_for(p.PROCUREMENT)
    on = {"contractId": str(contract.id)}
    used_key = f"po-{uuid.uuid4()}"
    assert (await mutate(signing_api, token, ISSUE, {"input": {**on, "lines": [line()]}, "key": used_key}))[
        "purchaseOrder"]
    cases = [
        ({**on, "lines": [line(), line(unitPrice="7")]}, None, "PRICE_MISMATCH", "lines[1].unitPrice"),
        ({**on, "lines": [line(itemCode="NOPE")]}, None, "ITEM_NOT_ON_CONTRACT", "lines[0].itemCode"),
        ({"contractId": str(not_signed.id), "lines": [line()]}, None, "CONTRACT_NOT_SIGNED", "contractId"),
        ({"contractId": str(later.id), "lines": [line()]}, None, "OUTSIDE_VALIDITY", "contractId"),
        ({**on, "supplierId": str((await p.supplier("SUP-B")).id), "lines": [line()]}, None, "SUPPLIER_MISMATCH",
         "supplierId"),
        ({"contractId": str(uuid.uuid4()), "lines": [line()]}, None, "NOT_FOUND", "contractId"),
        ({**on, "currency": "EUR", "lines": [line()]}, None, "CURRENCY_MISMATCH", "currency"),
        ({**on, "lines": []}, None, "NO_LINES", "lines"),
        ({**on, "lines": [line("0")]}, None, "QUANTITY_NOT_POSITIVE", "lines[0].quantity"),
        ({**on, "lines": [line("1.23456")]}, None, "TOO_MANY_DECIMALS", "lines[0].quantity"),
        ({**on, "lines": [line("1e20")]}, None, "TOO_LARGE", "lines[0].quantity"),
        ({**on, "lines": [line(deliveryDate=str(p.days_from_today(-5)))]}, None, "DELIVERY_DATE_PASSED",
         "lines[0].deliveryDate"),
        ({"supplierId": str((await p.supplier("SUP-D")).id), "lines": [line(unitPrice="1", itemName="x")]}, None,
         "SUPPLIER_NOT_QUALIFIED", "supplierId"),
        ({"lines": [line(unitPrice="1", itemName="x")]}, None, "INVALID", "supplierId"),
        ({**on, "lines": [line("2")]}, used_key, "IDEMPOTENCY_KEY_REUSED", "idempotencyKey"),
    ]
    for data, key, code, field in cases:
        payload = await mutate(signing_api, token, ISSUE, {"input": data, "key": key})
        assert payload["purchaseOrder"] is None and codes(payload) == [(code, field)], (data, payload["errors"])
    override = await mutate(signing_api, token, ISSUE, {"input": {
        **on, "lines": [line(unitPrice="7")], "priceOverrideReason": "急单 / rush"}})
    assert override["errors"] == [] and override["purchaseOrder"]["lines"][0]["unitPrice"]["amount"] == "7.0000"


@pytest.mark.parametrize("email", [p.ACCOUNTING, p.AUDITOR, p.SUPPLIER_A])
async def test_other_roles_and_suppliers_may_not_issue(signing_api: Api, token_for, email: str) -> None:
    payload = await mutate(signing_api, await token_for(email), ISSUE, {"input": {
        "supplierId": str((await p.supplier("SUP-A")).id), "lines": [line(unitPrice="1", itemName="x")]}})
    assert payload["purchaseOrder"] is None and [code for code, _ in codes(payload)] == ["PERMISSION_DENIED"]


async def test_without_signing_keys_nothing_is_issued(api: Api, token_for) -> None:
    before = await PurchaseOrder.all().count()
    payload = await mutate(api, await token_for(p.PROCUREMENT), ISSUE, {"input": {
        "supplierId": str((await p.supplier("SUP-A")).id), "lines": [line(unitPrice="1", itemName="x")]}})
    assert [code for code, _ in codes(payload)] == ["SIGNING_UNAVAILABLE"]
    assert await PurchaseOrder.all().count() == before


async def test_a_malformed_id_is_a_top_level_error(signing_api: Api, token_for) -> None:
    response = await signing_api.post(ISSUE, {"input": {"contractId": "nope", "lines": [line()]}},
                                      token=await token_for(p.PROCUREMENT))
    assert "`contractId` is not a valid ID" in response.json()["errors"][0]["message"]
