"""`rejectOrderChange` over GraphQL: staff reject the supplier's proposed change; the original terms stand."""

from __future__ import annotations

from decimal import Decimal

from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement, PurchaseOrder, PurchaseOrderLine
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate
from workflows import ordering

REJECT = """
mutation($input: RejectOrderChangeInput!) {
  rejectOrderChange(input: $input) {
    purchaseOrder { id status lines { quantity proposedQuantity changeNote } }
    errors { code message field }
  }
}"""


async def proposed_order() -> PurchaseOrder:
    order = await p.issued_order(await p.unsigned_documents(), quantities=(100,))
    line = await PurchaseOrderLine.get(order_id=order.id)
    await ordering.propose_order_change(await p.actor(p.SUPPLIER_A), order.id,
                                        (ordering.LineChangeInput(line.id, Decimal(70)),), clock=p.clock())
    return order


async def test_procurement_rejects_and_the_supplier_answers_the_original_terms_again(api: Api, token_for) -> None:
    order = await proposed_order()
    payload = await mutate(api, await token_for(p.PROCUREMENT), REJECT,
                           {"input": {"id": str(order.id), "reason": "数量不能减少 / quantity is firm"}})
    assert payload["errors"] == []
    assert payload["purchaseOrder"]["status"] == "ISSUED"
    assert payload["purchaseOrder"]["lines"] == [{"quantity": "100.000", "proposedQuantity": None, "changeNote": ""}]
    statuses = [a.status for a in await Acknowledgement.filter(subject_id=order.id).order_by("created_at")]
    assert statuses == [AcknowledgementStatus.CANCELLED, AcknowledgementStatus.PENDING]


async def test_refusals(api: Api, token_for) -> None:
    order = await proposed_order()
    confirmed = await p.confirmed_order(await p.unsigned_documents())
    for email, target, reason, expected in (
        (p.ACCOUNTING, order, "", ("PERMISSION_DENIED", None)),
        (p.SUPPLIER_A, order, "", ("PERMISSION_DENIED", None)),
        (p.SUPPLIER_B, order, "", ("NOT_FOUND", "id")),  # another supplier's order
        (p.PROCUREMENT, confirmed, "", ("ILLEGAL_TRANSITION", "id")),
        (p.PROCUREMENT, order, "x" * 501, ("INVALID", "reason")),
    ):
        payload = await mutate(api, await token_for(email), REJECT,
                               {"input": {"id": str(target.id), "reason": reason}})
        assert payload["purchaseOrder"] is None and codes(payload) == [expected], email
