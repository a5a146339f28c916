"""`cancelPurchaseOrder` over GraphQL."""

from __future__ import annotations

from decimal import Decimal

from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement, PurchaseOrderLine
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import codes, mutate
from workflows import receiving

CANCEL = """
mutation($input: CancelPurchaseOrderInput!) {
  cancelPurchaseOrder(input: $input) { purchaseOrder { id status cancelledAt } errors { code message field } }
}"""


async def test_procurement_cancels_with_a_reason(api: Api, token_for) -> None:
    order = await p.confirmed_order(await p.unsigned_documents())
    payload = await mutate(api, await token_for(p.PROCUREMENT), CANCEL,
                           {"input": {"id": str(order.id), "reason": "项目取消 / project cancelled"}})
    assert payload["errors"] == [] and payload["purchaseOrder"]["status"] == "CANCELLED"
    assert payload["purchaseOrder"]["cancelledAt"] is not None
    pending = await p.issued_order(await p.unsigned_documents())
    await mutate(api, await token_for(p.ADMIN), CANCEL, {"input": {"id": str(pending.id), "reason": "重复 / duplicate"}})
    assert (await Acknowledgement.get(subject_id=pending.id)).status == AcknowledgementStatus.CANCELLED


async def test_refusals(api: Api, token_for) -> None:
    documents = await p.unsigned_documents()
    order = await p.issued_order(documents)
    received = await p.confirmed_order(documents)
    line = await PurchaseOrderLine.get(order_id=received.id)
    await receiving.record_goods_receipt(await p.actor(p.ACCOUNTING), receiving.ReceiptInput(
        received.id, (receiving.ReceiptLineInput(line.id, Decimal(3)),)), clock=p.clock())
    for email, target, reason, expected in (
        (p.PROCUREMENT, order, "  ", ("INVALID", "reason")),
        (p.PROCUREMENT, received, "too late", ("ALREADY_RECEIVED", "id")),
        (p.ACCOUNTING, order, "x", ("PERMISSION_DENIED", None)),
        (p.SUPPLIER_A, order, "x", ("PERMISSION_DENIED", None)),
        (p.SUPPLIER_B, order, "x", ("NOT_FOUND", "id")),  # another supplier's order
    ):
        payload = await mutate(api, await token_for(email), CANCEL, {"input": {"id": str(target.id), "reason": reason}})
        assert payload["purchaseOrder"] is None and codes(payload) == [expected], email
    cancelled = await p.issued_order(documents)
    await mutate(api, await token_for(p.PROCUREMENT), CANCEL, {"input": {"id": str(cancelled.id), "reason": "x"}})
    twice = await mutate(api, await token_for(p.PROCUREMENT), CANCEL,
                         {"input": {"id": str(cancelled.id), "reason": "x"}})
    assert codes(twice) == [("ILLEGAL_TRANSITION", "id")]
