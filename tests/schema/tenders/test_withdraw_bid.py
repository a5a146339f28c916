"""`withdrawBid`: the supplier's own bid only, and only before the close."""

from __future__ import annotations

import uuid

import pytest

from domain.clock import FrozenClock
from domain.enums import BidStatus
from domain.models import Bid
from tests.conftest import client_for
from tests.schema.tenders.conftest import (
    PROCUREMENT, SUPPLIER_A, SUPPLIER_B, codes, demo_suppliers, mutate, published_to_a_and_b,
)
from tests.support import tenders as t

WITHDRAW = """mutation($id: ID!) { withdrawBid(input: {id: $id}) {
  bid { id status withdrawnAt } errors { code message field } } }"""


async def a_bid_of_supplier_a(clock) -> tuple:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    [supplier_a] = await demo_suppliers("SUP-A")
    receipt = await t.bid(tender, supplier_a, ["1", "2"], clock)
    return tender, receipt.bid


async def test_a_supplier_withdraws_its_own_bid(as_user, clock) -> None:  # noqa: ANN001
    _, bid = await a_bid_of_supplier_a(clock)
    payload = await mutate(await as_user(SUPPLIER_A), WITHDRAW, {"id": str(bid.id)}, "withdrawBid")
    assert payload["errors"] == [] and payload["bid"]["status"] == "WITHDRAWN"
    assert (await Bid.get(id=bid.id)).status is BidStatus.WITHDRAWN


@pytest.mark.parametrize("email", [SUPPLIER_B, PROCUREMENT, "admin@buyer.example", "auditor@buyer.example",
                                   "orders@supplier-a.example"])
async def test_anyone_else_gets_not_found(as_user, clock, email: str) -> None:  # noqa: ANN001
    """Another supplier, and staff before the close, cannot tell the bid exists; another user of the same supplier
    may withdraw it (the bid is the organisation's)."""
    _, bid = await a_bid_of_supplier_a(clock)
    payload = await mutate(await as_user(email), WITHDRAW, {"id": str(bid.id)}, "withdrawBid")
    if email == "orders@supplier-a.example":
        assert payload["errors"] == []
        return
    assert payload["bid"] is None and codes(payload) == [("NOT_FOUND", "id")]
    unknown = await mutate(await as_user(email), WITHDRAW, {"id": str(uuid.uuid4())}, "withdrawBid")
    assert unknown["errors"] == payload["errors"]  # exactly as for an id that does not exist
    assert (await Bid.get(id=bid.id)).status is BidStatus.SUBMITTED


async def test_no_withdrawal_at_or_after_the_close(settings, service, token_for, clock) -> None:  # noqa: ANN001
    tender, bid = await a_bid_of_supplier_a(clock)
    with client_for(settings, clock=FrozenClock(tender.closes_at), service=service) as late:
        async with late.client:
            payload = await mutate(late.as_user(await token_for(SUPPLIER_A)), WITHDRAW, {"id": str(bid.id)},
                                   "withdrawBid")
    assert codes(payload) == [("TENDER_CLOSED", "id")]
    assert (await Bid.get(id=bid.id)).status is BidStatus.SUBMITTED
