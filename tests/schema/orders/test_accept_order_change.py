"""`acceptOrderChange` over GraphQL: staff accept the supplier's proposed change."""

from __future__ import annotations

from decimal import Decimal

from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement, PurchaseOrder, PurchaseOrderLine
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


async def test_procurement_accepts_and_the_order_is_confirmed_on_the_new_terms(api: Api, token_for) -> None:
    order = await proposed_order()
    payload = await mutate(api, await token_for(p.PROCUREMENT), ACCEPT, {"input": {"id": str(order.id)}})
    assert payload["errors"] == []
    accepted = payload["purchaseOrder"]
    assert accepted["status"] == "CONFIRMED" and accepted["total"]["amount"] == "408.00"
    assert accepted["lines"] == [{"quantity": "60.000", "amount": {"amount": "408.00"},
                                  "deliveryDate": str(p.days_from_today(20)), "proposedQuantity": None}]
    assert (await Acknowledgement.get(subject_id=order.id)).status == AcknowledgementStatus.ACKNOWLEDGED


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
