"""The supplier's answer: accepting needs a countersignature whenever there is a document to sign."""

from __future__ import annotations

import pytest

from domain.enums import AcknowledgementStatus as AS, OrderStatus
from domain.errors import DomainError
from domain.models import Acknowledgement, PurchaseOrder
from tests.support import procurement as p
from workflows.deadlines.acknowledgements import acknowledge

pytestmark = pytest.mark.usefixtures("demo")


async def test_accepting_a_document_without_a_way_to_countersign_it_is_refused_and_changes_nothing() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(order)
    assert ack.document_id is not None
    with pytest.raises(DomainError) as refused:
        await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=True, clock=p.clock(), documents=None)
    assert refused.value.code == "SIGNING_UNAVAILABLE"
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.ISSUED
    assert (await Acknowledgement.get(id=ack.id)).status == AS.PENDING


async def test_the_signing_service_is_asked_for_only_when_there_is_something_to_sign() -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(order)
    asked: list[bool] = []

    async def provider():  # noqa: ANN202
        asked.append(True)
        raise DomainError("no keys here", code="SIGNING_UNAVAILABLE")

    await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, reason="no capacity", clock=p.clock(),
                      documents=provider)
    assert asked == [] and (await PurchaseOrder.get(id=order.id)).status == OrderStatus.REJECTED


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
async def test_a_rejection_needs_a_reason_of_bounded_length(reason: str) -> None:
    order = await p.issued_order(await p.unsigned_documents())
    ack = await p.open_acknowledgement_of(order)
    with pytest.raises(DomainError) as refused:
        await acknowledge(await p.actor(p.SUPPLIER_A), ack.id, accept=False, reason=reason, clock=p.clock())
    assert refused.value.field == "reason"
    assert (await Acknowledgement.get(id=ack.id)).status == AS.PENDING
