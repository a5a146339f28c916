"""`awardTender`: whole or split, the award notices, refusals, and two staff awarding at once."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from domain.clock import FrozenClock
from domain.models import Award, Bid, Tender
from tests.schema.tenders.conftest import PROCUREMENT, SUPPLIER_A, codes, demo_suppliers, mutate, published_to_a_and_b
from tests.support import tenders as t
from workflows import tendering

AWARD = """mutation($input: AwardTenderInput!) { awardTender(input: $input) {
  tender { id status awardedAt }
  awards { supplier { code } tenderLine { lineNo } quantity unitPrice { amount } amount { amount } }
  notices { kind number supplier { code } currentVersion }
  errors { code message field } } }"""


async def closed_with_bids(clock, prices_b: tuple = ("1.0", None)) -> tuple[Tender, dict[str, Bid]]:  # noqa: ANN001
    """A closed tender: supplier A priced both lines (1.1, 2.2), supplier B `prices_b`."""
    tender = await published_to_a_and_b(clock)
    supplier_a, supplier_b = await demo_suppliers("SUP-A", "SUP-B")
    a = await t.bid(tender, supplier_a, ["1.1", "2.2"], clock)
    b = await t.bid(tender, supplier_b, list(prices_b), clock)
    await tendering.close_tender(await t.staff(), tender.id, clock=FrozenClock(tender.closes_at), service=None)
    return tender, {"SUP-A": a.bid, "SUP-B": b.bid}


async def test_awarding_the_whole_tender_to_one_bid(as_user, clock) -> None:  # noqa: ANN001
    tender, bids = await closed_with_bids(clock)
    payload = await mutate(await as_user(PROCUREMENT), AWARD,
                           {"input": {"id": str(tender.id), "bidId": str(bids["SUP-A"].id)}}, "awardTender")
    assert payload["errors"] == [] and payload["tender"]["status"] == "AWARDED"
    assert [(a["supplier"]["code"], a["tenderLine"]["lineNo"], a["unitPrice"]["amount"], a["amount"]["amount"])
            for a in payload["awards"]] == [("SUP-A", 1, "1.1000", "110.00"), ("SUP-A", 2, "2.2000", "440.00")]
    assert [(n["kind"], n["number"], n["supplier"]["code"], n["currentVersion"]) for n in payload["notices"]] == [
        ("AWARD_NOTICE", f"{tender.number}-A", "SUP-A", 1)]
    # The winner sees its award; the loser sees none.
    query = 'query($id: ID!) { tender(id: $id) { status awards { supplier { code } } } }'
    assert len((await (await as_user(SUPPLIER_A)).query(query, {"id": str(tender.id)}))["tender"]["awards"]) == 2
    loser = await (await as_user("sales@supplier-b.example")).query(query, {"id": str(tender.id)})
    assert loser["tender"] == {"status": "AWARDED", "awards": []}


async def test_splitting_by_line_gives_each_winner_its_notice(as_user, clock) -> None:  # noqa: ANN001
    tender, bids = await closed_with_bids(clock)
    first, second = await t.tender_lines(tender)
    lines = [{"tenderLineId": str(first.id), "bidId": str(bids["SUP-B"].id)},
             {"tenderLineId": str(second.id), "bidId": str(bids["SUP-A"].id)}]
    payload = await mutate(await as_user(PROCUREMENT), AWARD, {"input": {"id": str(tender.id), "lines": lines}},
                           "awardTender")
    assert payload["errors"] == []
    assert [(a["supplier"]["code"], a["tenderLine"]["lineNo"]) for a in payload["awards"]] == [
        ("SUP-B", 1), ("SUP-A", 2)]
    assert sorted(n["supplier"]["code"] for n in payload["notices"]) == ["SUP-A", "SUP-B"]


@pytest.mark.parametrize("case", ["incomplete", "unknown bid", "line not bid", "both", "neither", "supplier",
                                  "not closed"])
async def test_refusals(as_user, clock, case: str) -> None:  # noqa: ANN001
    tender, bids = await closed_with_bids(clock)
    first, _ = await t.tender_lines(tender)
    email, data = PROCUREMENT, {"id": str(tender.id), "bidId": str(bids["SUP-A"].id)}
    expected = {
        "incomplete": ("BID_INCOMPLETE", "bidId"), "unknown bid": ("NOT_FOUND", "bidId"),
        "line not bid": ("LINE_NOT_BID", "lines[0].bidId"), "both": ("INVALID", "bidId"),
        "neither": ("INVALID", "lines"), "supplier": ("PERMISSION_DENIED", None),
        "not closed": ("ILLEGAL_TRANSITION", "id"),
    }[case]
    if case == "incomplete":
        data["bidId"] = str(bids["SUP-B"].id)
    elif case == "unknown bid":
        data["bidId"] = str(uuid.uuid4())
    elif case == "line not bid":
        _, second = await t.tender_lines(tender)
        data = {"id": str(tender.id), "lines": [{"tenderLineId": str(second.id), "bidId": str(bids["SUP-B"].id)}]}
    elif case == "both":
        data["lines"] = [{"tenderLineId": str(first.id), "bidId": str(bids["SUP-A"].id)}]
    elif case == "neither":
        del data["bidId"]
    elif case == "supplier":
        email = SUPPLIER_A
    elif case == "not closed":
        data["id"] = str((await published_to_a_and_b(clock)).id)
    payload = await mutate(await as_user(email), AWARD, {"input": data}, "awardTender")
    assert payload["tender"] is None and codes(payload) == [expected]
    assert not await Award.filter(tender_id=tender.id).exists()


async def test_two_staff_awarding_at_once_get_one_award_and_one_conflict(as_user, clock) -> None:  # noqa: ANN001
    tender, bids = await closed_with_bids(clock, prices_b=("1.0", "2.0"))
    procurement, admin = await as_user(PROCUREMENT), await as_user("admin@buyer.example")
    answers = await asyncio.gather(
        mutate(procurement, AWARD, {"input": {"id": str(tender.id), "bidId": str(bids["SUP-A"].id)}}, "awardTender"),
        mutate(admin, AWARD, {"input": {"id": str(tender.id), "bidId": str(bids["SUP-B"].id)}}, "awardTender"),
    )
    won = [answer for answer in answers if answer["errors"] == []]
    lost = [answer for answer in answers if answer["errors"]]
    assert len(won) == 1 and len(lost) == 1, answers
    assert codes(lost[0]) == [("CONFLICT", "id")]
    winner = won[0]["awards"][0]["supplier"]["code"]
    awarded = set(await Award.filter(tender_id=tender.id).values_list("supplier__code", flat=True))
    assert awarded == {winner} and len(won[0]["notices"]) == 1
