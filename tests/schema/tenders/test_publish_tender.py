"""`publishTender`: success (acknowledgements to the invitees), each refusal, permission denied."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from domain.clock import FrozenClock
from domain.models import Acknowledgement
from tests.conftest import client_for
from tests.schema.tenders.conftest import PROCUREMENT, SUPPLIER_A, codes, demo_suppliers, mutate
from tests.support import tenders as t

PUBLISH = """mutation($id: ID!) { publishTender(input: {id: $id}) {
  tender { id status publishedAt } errors { code message field } } }"""


async def test_publishing_sends_the_tender_to_its_invitees(as_user, clock) -> None:  # noqa: ANN001
    draft = await t.draft_tender(clock, await demo_suppliers("SUP-A", "SUP-B"))
    payload = await mutate(await as_user(PROCUREMENT), PUBLISH, {"id": str(draft.id)}, "publishTender")
    assert payload["errors"] == [] and payload["tender"]["status"] == "PUBLISHED"
    acks = await Acknowledgement.filter(subject_id=draft.id)
    assert len(acks) == 2 and all(ack.due_at == draft.closes_at for ack in acks)
    # Supplier A now sees the tender.
    supplier = await as_user(SUPPLIER_A)
    seen = await supplier.query("query($id: ID!) { tender(id: $id) { status } }", {"id": str(draft.id)})
    assert seen["tender"]["status"] == "PUBLISHED"


async def test_a_tender_whose_closing_time_has_passed_cannot_be_published(settings, service, token_for,  # noqa: ANN001
                                                                           clock) -> None:
    draft = await t.draft_tender(clock, await demo_suppliers("SUP-A"))
    with client_for(settings, clock=FrozenClock(draft.closes_at), service=service) as late:
        async with late.client:
            api = late.as_user(await token_for(PROCUREMENT))
            payload = await mutate(api, PUBLISH, {"id": str(draft.id)}, "publishTender")
    assert payload["tender"] is None and codes(payload) == [("CLOSES_AT_PASSED", "closesAt")]


@pytest.mark.parametrize("case", ["published", "unknown", "supplier", "accounting"])
async def test_refusals(as_user, clock, case: str) -> None:  # noqa: ANN001
    tender = await t.published_tender(clock, await demo_suppliers("SUP-A"))
    email, tender_id, expected = PROCUREMENT, str(tender.id), ("ILLEGAL_TRANSITION", "id")
    if case == "unknown":
        tender_id, expected = str(uuid.uuid4()), ("NOT_FOUND", "id")
    elif case == "supplier":
        email, expected = SUPPLIER_A, ("PERMISSION_DENIED", None)
    elif case == "accounting":
        email, expected = "accounting@buyer.example", ("PERMISSION_DENIED", None)
    payload = await mutate(await as_user(email), PUBLISH, {"id": tender_id}, "publishTender")
    assert payload["tender"] is None and codes(payload) == [expected]


async def test_a_draft_is_invisible_to_its_invitees(as_user, clock) -> None:  # noqa: ANN001
    draft = await t.draft_tender(clock, await demo_suppliers("SUP-A"), closes_in=timedelta(days=1))
    supplier = await as_user(SUPPLIER_A)
    assert await supplier.query("query($id: ID!) { tender(id: $id) { id } }", {"id": str(draft.id)}) == {"tender": None}
    payload = await mutate(supplier, PUBLISH, {"id": str(draft.id)}, "publishTender")
    assert codes(payload) == [("PERMISSION_DENIED", None)]
