"""`closeTender`: opening the bids by hand with the signed opening record; BIDS_OUTSTANDING; permission denied."""

from __future__ import annotations

import pytest

from domain.clock import FrozenClock
from domain.models import Tender
from tests.conftest import client_for
from tests.schema.tenders.conftest import (
    PROCUREMENT, SUPPLIER_A, codes, demo_suppliers, mutate, published_to_a_and_b,
)
from tests.support import tenders as t

CLOSE = """mutation($id: ID!) { closeTender(input: {id: $id}) {
  tender { id status closedAt bids { supplier { code } } }
  openingRecord { kind number currentVersion fileName downloadUrl }
  errors { code message field } } }"""


async def test_closing_once_every_invitee_has_bid_opens_the_bids_with_a_signed_record(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    for supplier in await demo_suppliers("SUP-A", "SUP-B"):
        await t.bid(tender, supplier, ["1", "2"], clock)
    payload = await mutate(await as_user(PROCUREMENT), CLOSE, {"id": str(tender.id)}, "closeTender")
    assert payload["errors"] == []
    assert payload["tender"]["status"] == "CLOSED" and payload["tender"]["closedAt"] == clock.now().isoformat()
    assert sorted(bid["supplier"]["code"] for bid in payload["tender"]["bids"]) == ["SUP-A", "SUP-B"]
    record = payload["openingRecord"]
    assert record["kind"] == "TENDER_OPENING_RECORD" and record["currentVersion"] == 1
    assert record["fileName"] == f"tender-opening-record-{tender.number}.pdf" and record["downloadUrl"]
    assert (await Tender.get(id=tender.id)).closed_by_id is not None


async def test_closing_early_with_bids_outstanding_is_refused(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    [supplier_a] = await demo_suppliers("SUP-A")
    await t.bid(tender, supplier_a, ["1", "2"], clock)
    payload = await mutate(await as_user(PROCUREMENT), CLOSE, {"id": str(tender.id)}, "closeTender")
    assert payload["tender"] is None and codes(payload) == [("BIDS_OUTSTANDING", "id")]
    assert (await Tender.get(id=tender.id)).status == "PUBLISHED"


@pytest.mark.parametrize(("email", "expected"), [
    (SUPPLIER_A, ("PERMISSION_DENIED", None)),
    ("auditor@buyer.example", ("PERMISSION_DENIED", None)),
    ("accounting@buyer.example", ("PERMISSION_DENIED", None)),
])
async def test_only_procurement_and_admins_close(as_user, clock, email: str, expected: tuple) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    payload = await mutate(await as_user(email), CLOSE, {"id": str(tender.id)}, "closeTender")
    assert codes(payload) == [expected]


async def test_a_server_that_cannot_sign_changes_nothing(settings, token_for, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    with client_for(settings, clock=FrozenClock(tender.closes_at)) as unsigned:  # no master key configured
        async with unsigned.client:
            payload = await mutate(unsigned.as_user(await token_for(PROCUREMENT)), CLOSE, {"id": str(tender.id)},
                                   "closeTender")
    assert codes(payload) == [("SIGNING_UNAVAILABLE", None)]
    assert (await Tender.get(id=tender.id)).status == "PUBLISHED"


CLOSED_BY = """query($id: ID!) { tender(id: $id) { status closedBy { email displayName roles } } }"""


async def test_staff_see_who_opened_the_bids_and_suppliers_do_not(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    open_one = await published_to_a_and_b(clock)
    for supplier in await demo_suppliers("SUP-A", "SUP-B"):
        await t.bid(tender, supplier, ["1", "2"], clock)
    closed = await mutate(await as_user(PROCUREMENT), CLOSE, {"id": str(tender.id)}, "closeTender")
    assert closed["errors"] == []
    for email in (PROCUREMENT, "auditor@buyer.example"):
        seen = (await (await as_user(email)).query(CLOSED_BY, {"id": str(tender.id)}))["tender"]
        assert seen["status"] == "CLOSED" and seen["closedBy"]["email"] == PROCUREMENT, email
        assert "PROCUREMENT" in seen["closedBy"]["roles"]
    as_supplier = (await (await as_user(SUPPLIER_A)).query(CLOSED_BY, {"id": str(tender.id)}))["tender"]
    assert as_supplier == {"status": "CLOSED", "closedBy": None}
    not_closed = (await (await as_user(PROCUREMENT)).query(CLOSED_BY, {"id": str(open_one.id)}))["tender"]
    assert not_closed == {"status": "PUBLISHED", "closedBy": None}
