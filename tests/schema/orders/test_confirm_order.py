"""The supplier confirms an order with `acknowledge`: once, even when it asks twice at the same moment."""

from __future__ import annotations

import asyncio

from domain.enums import OrderStatus
from domain.models import AuditEvent, PurchaseOrder
from tests.conftest import Api
from tests.support import procurement as p
from tests.support.procurement import mutate

ACKNOWLEDGE = """
mutation($input: AcknowledgeInput!) {
  acknowledge(input: $input) { acknowledgement { id status } errors { code message field } }
}"""


async def test_two_confirmations_at_once_one_succeeds(signing_api: Api, token_for, service) -> None:  # noqa: ANN001
    order = await p.issued_order(service)
    ack = await p.open_acknowledgement_of(order)
    token = await token_for(p.SUPPLIER_A)
    variables = {"input": {"id": str(ack.id), "accept": True}}
    payloads = await asyncio.gather(*(mutate(signing_api, token, ACKNOWLEDGE, variables) for _ in range(2)))
    succeeded = [payload for payload in payloads if not payload["errors"]]
    refused = [payload for payload in payloads if payload["errors"]]
    assert len(succeeded) == 1 and len(refused) == 1, payloads
    assert refused[0]["errors"][0]["code"] in {"CONFLICT", "ILLEGAL_TRANSITION"}
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CONFIRMED
    assert await AuditEvent.filter(subject_id=order.id, action="purchaseOrder.confirm").count() == 1


async def test_another_supplier_cannot_confirm(signing_api: Api, token_for) -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(order)
    payload = await mutate(signing_api, await token_for(p.SUPPLIER_B), ACKNOWLEDGE,
                           {"input": {"id": str(ack.id), "accept": True}})
    assert payload["errors"][0]["code"] == "NOT_FOUND"
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.ISSUED
