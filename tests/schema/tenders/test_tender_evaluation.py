"""The sealed-bid promise over GraphQL, on a tender built through the workflows: before the close nobody but the
bidder reads anything of a bid (bids, myBid, the evaluation, a bid id); after it, staff do, suppliers still their own."""

from __future__ import annotations

import pytest

from domain.clock import FrozenClock
from tests.schema.tenders.conftest import (
    PROCUREMENT, SUPPLIER_A, SUPPLIER_B, SUPPLIER_C, demo_suppliers, published_to_a_and_b,
)
from tests.support import tenders as t
from workflows import tendering

READ = """query($id: ID!) {
  tender(id: $id) { status bids { id contentHash total { amount } lines { unitPrice { amount } } supplier { code } }
                    myBid { id supplier { code } } }
  tenderEvaluation(id: $id) { bidders { supplier { code } total { amount } }
                              lines { offers { unitPrice { amount } } lowest { amount } average { amount } } } }"""
STAFF = [PROCUREMENT, "admin@buyer.example", "auditor@buyer.example", "accounting@buyer.example"]


async def tender_with_bids(clock) -> tuple:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    supplier_a, supplier_b = await demo_suppliers("SUP-A", "SUP-B")
    a = await t.bid(tender, supplier_a, ["1.10", "2.20"], clock)
    b = await t.bid(tender, supplier_b, ["1.00", "2.40"], clock)
    return tender, a.bid, b.bid


@pytest.mark.parametrize("email", STAFF)
async def test_staff_read_nothing_of_the_bids_before_the_close(as_user, clock, email: str) -> None:  # noqa: ANN001
    tender, _, _ = await tender_with_bids(clock)
    data = await (await as_user(email)).query(READ, {"id": str(tender.id)})
    assert data["tenderEvaluation"] is None
    if email == "accounting@buyer.example":  # does not read tenders at all
        assert data["tender"] is None
        return
    assert data["tender"]["bids"] == [] and data["tender"]["myBid"] is None


async def test_before_the_close_a_supplier_reads_its_own_bid_only(as_user, clock) -> None:  # noqa: ANN001
    tender, a, b = await tender_with_bids(clock)
    for email, own in ((SUPPLIER_A, a), (SUPPLIER_B, b)):
        data = await (await as_user(email)).query(READ, {"id": str(tender.id)})
        assert [bid["id"] for bid in data["tender"]["bids"]] == [str(own.id)]
        assert data["tender"]["myBid"]["id"] == str(own.id) and data["tenderEvaluation"] is None
    outsider = await (await as_user(SUPPLIER_C)).query(READ, {"id": str(tender.id)})
    assert outsider == {"tender": None, "tenderEvaluation": None}


async def test_after_the_close_staff_evaluate_and_suppliers_still_see_their_own_only(as_user, clock) -> None:  # noqa: ANN001
    tender, a, b = await tender_with_bids(clock)
    await tendering.close_tender(await t.staff(), tender.id, clock=FrozenClock(tender.closes_at), service=None)
    staff = await (await as_user(PROCUREMENT)).query(READ, {"id": str(tender.id)})
    assert sorted(bid["supplier"]["code"] for bid in staff["tender"]["bids"]) == ["SUP-A", "SUP-B"]
    evaluation = staff["tenderEvaluation"]
    assert [bidder["supplier"]["code"] for bidder in evaluation["bidders"]] == ["SUP-A", "SUP-B"]
    first, second = evaluation["lines"]
    assert [offer["unitPrice"]["amount"] for offer in first["offers"]] == ["1.1000", "1.0000"]
    assert first["lowest"]["amount"] == "1.0000" and first["average"]["amount"] == "1.0500"
    assert second["lowest"]["amount"] == "2.2000" and second["average"]["amount"] == "2.3000"
    for email, own in ((SUPPLIER_A, a), (SUPPLIER_B, b)):
        data = await (await as_user(email)).query(READ, {"id": str(tender.id)})
        assert [bid["id"] for bid in data["tender"]["bids"]] == [str(own.id)]
        assert data["tenderEvaluation"] is None
