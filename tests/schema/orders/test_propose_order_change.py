"""`proposeOrderChange` over GraphQL: the supplier's answer to an issued order, proposing changes per line."""

from __future__ import annotations

import uuid

from domain.enums import OrderStatus
from domain.models import PurchaseOrder, PurchaseOrderLine
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate

PROPOSE = """
mutation($input: ProposeOrderChangeInput!) {
  proposeOrderChange(input: $input) {
    purchaseOrder { id status lines { lineNo quantity proposedQuantity proposedDeliveryDate changeNote } }
    errors { code message field }
  }
}"""


async def first_line(order: PurchaseOrder) -> PurchaseOrderLine:
    return await PurchaseOrderLine.filter(order_id=order.id).order_by("line_no").first()


async def test_the_supplier_proposes_a_quantity_and_a_date(api: Api, token_for) -> None:
    order = await p.issued_order(await p.unsigned_documents(), quantities=(100, 10))
    line = await first_line(order)
    payload = await mutate(api, await token_for(p.SUPPLIER_A), PROPOSE, {"input": {"id": str(order.id), "lines": [
        {"lineId": str(line.id), "quantity": "80", "deliveryDate": str(p.days_from_today(30)),
         "note": "模具维修 / tooling repair"}]}})
    assert payload["errors"] == []
    assert payload["purchaseOrder"]["status"] == "CHANGE_PROPOSED"
    assert payload["purchaseOrder"]["lines"][0] == {
        "lineNo": 1, "quantity": "100.000", "proposedQuantity": "80.000",
        "proposedDeliveryDate": str(p.days_from_today(30)), "changeNote": "模具维修 / tooling repair"}
    assert payload["purchaseOrder"]["lines"][1]["proposedQuantity"] is None


async def test_every_refusal_has_its_code_and_field(api: Api, token_for) -> None:
    documents = await p.unsigned_documents()
    order = await p.issued_order(documents)
    confirmed = await p.confirmed_order(documents)
    line = await first_line(order)
    supplier_a = await token_for(p.SUPPLIER_A)
    change = {"lineId": str(line.id), "quantity": "50"}
    cases = [
        (p.SUPPLIER_B, order, [change], [("NOT_FOUND", "id")]),  # another supplier's order
        (p.PROCUREMENT, order, [change], [("PERMISSION_DENIED", None)]),
        (p.SUPPLIER_A, confirmed, [change], [("ILLEGAL_TRANSITION", "id")]),
        (p.SUPPLIER_A, order, [], [("NO_LINES", "lines")]),
        (p.SUPPLIER_A, order, [{"lineId": str(uuid.uuid4()), "quantity": "5"}], [("NOT_FOUND", "lines[0].lineId")]),
        (p.SUPPLIER_A, order, [change, change], [("DUPLICATE_LINE", "lines[1].lineId")]),
        (p.SUPPLIER_A, order, [{"lineId": str(line.id)}], [("INVALID", "lines[0]")]),
        (p.SUPPLIER_A, order, [{"lineId": str(line.id), "quantity": "100"}], [("NO_CHANGE", "lines[0]")]),
        (p.SUPPLIER_A, order, [{"lineId": str(line.id), "quantity": "0"}],
         [("QUANTITY_NOT_POSITIVE", "lines[0].quantity")]),
        (p.SUPPLIER_A, order, [{"lineId": str(line.id), "deliveryDate": str(p.days_from_today(-1))}],
         [("DELIVERY_DATE_PASSED", "lines[0].deliveryDate")]),
    ]
    for email, target, lines, expected in cases:
        token = supplier_a if email == p.SUPPLIER_A else await token_for(email)
        payload = await mutate(api, token, PROPOSE, {"input": {"id": str(target.id), "lines": lines}})
        assert payload["purchaseOrder"] is None and codes(payload) == expected, (email, lines, payload["errors"])
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.ISSUED
