"""`acceptOrderChange` over GraphQL: staff accept the supplier's proposed change."""

from __future__ import annotations

from decimal import Decimal

from domain.enums import AcknowledgementStatus, DocumentKind, OrderStatus
from domain.models import Acknowledgement, Document, PurchaseOrder, PurchaseOrderLine
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate
from workflows import ordering

ACCEPT = """
mutation($input: AcceptOrderChangeInput!) {
  acceptOrderChange(input: $input) {
    purchaseOrder { id status total { amount } lines { quantity amount { amount } deliveryDate proposedQuantity } }
    errors { code message field }
  }
}"""


async def proposed_order() -> PurchaseOrder:
    order = await p.issued_order(await p.unsigned_documents(), quantities=(100,))
    line = await PurchaseOrderLine.get(order_id=order.id)
    await ordering.propose_order_change(await p.actor(p.SUPPLIER_A), order.id, (ordering.LineChangeInput(
        line.id, Decimal(60), p.days_from_today(20), "分批 / in two batches"),), clock=p.clock())
    return order


async def test_procurement_accepts_and_the_order_is_confirmed_on_the_new_terms(signing_api: Api, token_for) -> None:
    order = await proposed_order()
    payload = await mutate(signing_api, await token_for(p.PROCUREMENT), ACCEPT, {"input": {"id": str(order.id)}})
    assert payload["errors"] == []
    accepted = payload["purchaseOrder"]
    assert accepted["status"] == "CONFIRMED" and accepted["total"]["amount"] == "408.00"
    assert accepted["lines"] == [{"quantity": "60.000", "amount": {"amount": "408.00"},
                                  "deliveryDate": str(p.days_from_today(20)), "proposedQuantity": None}]
    ack = await Acknowledgement.get(subject_id=order.id)
    document = await Document.get(kind=DocumentKind.PURCHASE_ORDER, subject_id=order.id)
    assert ack.status == AcknowledgementStatus.ACKNOWLEDGED and ack.document_id == document.id
    assert document.current_version == 2, "the PDF is re-issued on the new terms"


async def test_without_a_signing_service_the_change_is_not_accepted(api: Api, token_for) -> None:
    order = await proposed_order()
    payload = await mutate(api, await token_for(p.PROCUREMENT), ACCEPT, {"input": {"id": str(order.id)}})
    assert payload["purchaseOrder"] is None and [c for c, _ in codes(payload)] == ["SIGNING_UNAVAILABLE"]
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CHANGE_PROPOSED


async def test_refusals(api: Api, token_for) -> None:
    order = await proposed_order()
    issued = await p.issued_order(await p.unsigned_documents())
    for email, target, expected in (
        (p.ACCOUNTING, order, "PERMISSION_DENIED"),
        (p.SUPPLIER_A, order, "PERMISSION_DENIED"),
        (p.SUPPLIER_B, order, "NOT_FOUND"),  # another supplier's order
        (p.PROCUREMENT, issued, "ILLEGAL_TRANSITION"),
    ):
        payload = await mutate(api, await token_for(email), ACCEPT, {"input": {"id": str(target.id)}})
        assert payload["purchaseOrder"] is None and [c for c, _ in codes(payload)] == [expected], email
