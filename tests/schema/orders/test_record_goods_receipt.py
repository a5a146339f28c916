"""`recordGoodsReceipt` over GraphQL."""

from __future__ import annotations

import uuid

import pytest

from domain.models import GoodsReceipt, PurchaseOrder, PurchaseOrderLine
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate

RECORD = """
mutation($input: RecordGoodsReceiptInput!, $key: String) {
  recordGoodsReceipt(input: $input, idempotencyKey: $key) {
    goodsReceipt { id number note order { status } lines { receivedQuantity rejectedQuantity
                                                       orderLine { lineNo receivedQuantity } } }
    errors { code message field }
  }
}"""


async def lines_of(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return await PurchaseOrderLine.filter(order_id=order.id).order_by("line_no")


async def test_accounting_records_a_receipt_and_the_full_one_closes_the_order(api: Api, token_for) -> None:
    order = await p.confirmed_order(await p.unsigned_documents(), quantities=(100,))
    [line] = await lines_of(order)
    token = await token_for(p.ACCOUNTING)
    variables = {"input": {"orderId": str(order.id), "note": "到货 / delivered", "lines": [
        {"orderLineId": str(line.id), "receivedQuantity": "70", "rejectedQuantity": "2"}]},
        "key": f"receipt-{uuid.uuid4()}"}
    payload = await mutate(api, token, RECORD, variables)
    assert payload["errors"] == []
    receipt = payload["goodsReceipt"]
    assert receipt["number"].startswith("SH-") and receipt["order"]["status"] == "CONFIRMED"
    assert receipt["lines"] == [{"receivedQuantity": "70.000", "rejectedQuantity": "2.000",
                                 "orderLine": {"lineNo": 1, "receivedQuantity": "68.000"}}]
    assert (await mutate(api, token, RECORD, variables))["goodsReceipt"]["id"] == receipt["id"]
    rest = await mutate(api, await token_for(p.PROCUREMENT), RECORD, {"input": {"orderId": str(order.id), "lines": [
        {"orderLineId": str(line.id), "receivedQuantity": "32"}]}})
    assert rest["errors"] == [] and rest["goodsReceipt"]["order"]["status"] == "CLOSED"


async def test_every_refusal_has_its_code_and_field(api: Api, token_for) -> None:
    documents = await p.unsigned_documents()
    order = await p.confirmed_order(documents, quantities=(100,))
    issued = await p.issued_order(documents)
    [line] = await lines_of(order)
    [foreign] = await lines_of(issued)
    token = await token_for(p.ACCOUNTING)
    ok = {"orderLineId": str(line.id), "receivedQuantity": "1"}
    used_key = f"receipt-{uuid.uuid4()}"
    assert (await mutate(api, token, RECORD, {"input": {"orderId": str(order.id), "lines": [ok]},
                                              "key": used_key}))["goodsReceipt"]
    cases = [
        ({"lines": [{**ok, "receivedQuantity": "105"}]}, None, ("OVER_TOLERANCE", "lines[0].receivedQuantity")),
        ({"orderId": str(issued.id), "lines": [ok]}, None, ("ORDER_NOT_CONFIRMED", "orderId")),
        ({"orderId": str(uuid.uuid4()), "lines": [ok]}, None, ("NOT_FOUND", "orderId")),
        ({"lines": [{**ok, "orderLineId": str(foreign.id)}]}, None, ("NOT_FOUND", "lines[0].orderLineId")),
        ({"lines": [ok, ok]}, None, ("DUPLICATE_LINE", "lines[1].orderLineId")),
        ({"lines": []}, None, ("NO_LINES", "lines")),
        ({"lines": [{**ok, "receivedQuantity": "0"}]}, None, ("QUANTITY_NOT_POSITIVE", "lines[0].receivedQuantity")),
        ({"lines": [{**ok, "rejectedQuantity": "2"}]}, None, ("REJECTED_OVER_RECEIVED", "lines[0].rejectedQuantity")),
        ({"lines": [ok], "receivedAt": "2999-01-01T00:00:00+00:00"}, None, ("RECEIVED_IN_FUTURE", "receivedAt")),
        ({"lines": [ok], "note": "x" * 501}, None, ("INVALID", "note")),
        ({"lines": [{**ok, "receivedQuantity": "2"}]}, used_key, ("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")),
    ]
    for data, key, expected in cases:
        payload = await mutate(api, token, RECORD, {"input": {"orderId": str(order.id), **data}, "key": key})
        assert payload["goodsReceipt"] is None and codes(payload) == [expected], (data, payload["errors"])
    assert await GoodsReceipt.filter(order_id=order.id).count() == 1


@pytest.mark.parametrize("email", [p.AUDITOR, p.SUPPLIER_A, p.SUPPLIER_B])
async def test_auditors_and_suppliers_may_not_record(api: Api, token_for, email: str) -> None:
    order = await p.confirmed_order(await p.unsigned_documents())
    [line] = await lines_of(order)
    payload = await mutate(api, await token_for(email), RECORD, {"input": {"orderId": str(order.id), "lines": [
        {"orderLineId": str(line.id), "receivedQuantity": "1"}]}})
    assert payload["goodsReceipt"] is None and [c for c, _ in codes(payload)] == ["PERMISSION_DENIED"]
