"""`cancelTender`: success (the pending bid acknowledgements are cancelled), the reason, permission denied."""

from __future__ import annotations

import pytest

from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement
from tests.schema.tenders.conftest import PROCUREMENT, SUPPLIER_A, codes, mutate, published_to_a_and_b

CANCEL = """mutation($id: ID!, $reason: String!) { cancelTender(input: {id: $id, reason: $reason}) {
  tender { id status cancelReason cancelledAt } errors { code message field } } }"""


async def test_cancelling_records_the_reason_and_cancels_the_acknowledgements(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    payload = await mutate(await as_user(PROCUREMENT), CANCEL,
                           {"id": str(tender.id), "reason": " 需求变更 / requirement changed "}, "cancelTender")
    assert payload["errors"] == []
    assert payload["tender"]["status"] == "CANCELLED"
    assert payload["tender"]["cancelReason"] == "需求变更 / requirement changed"
    statuses = await Acknowledgement.filter(subject_id=tender.id).values_list("status", flat=True)
    assert statuses and set(statuses) == {AcknowledgementStatus.CANCELLED}


@pytest.mark.parametrize(("reason", "email", "expected"), [
    ("", PROCUREMENT, ("INVALID", "reason")),
    ("x" * 501, PROCUREMENT, ("INVALID", "reason")),
    ("ok", SUPPLIER_A, ("PERMISSION_DENIED", None)),
    ("ok", "auditor@buyer.example", ("PERMISSION_DENIED", None)),
])
async def test_refusals(as_user, clock, reason: str, email: str, expected: tuple) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    payload = await mutate(await as_user(email), CANCEL, {"id": str(tender.id), "reason": reason}, "cancelTender")
    assert payload["tender"] is None and codes(payload) == [expected]


async def test_a_cancelled_tender_cannot_be_cancelled_again(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    api = await as_user(PROCUREMENT)
    await mutate(api, CANCEL, {"id": str(tender.id), "reason": "once"}, "cancelTender")
    payload = await mutate(api, CANCEL, {"id": str(tender.id), "reason": "twice"}, "cancelTender")
    assert codes(payload) == [("ILLEGAL_TRANSITION", "id")]
