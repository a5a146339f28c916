"""Sealed bids: before a tender closes nobody but the bidder reads anything of a bid, through any field or filter."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest
from graphql import GraphQLInputObjectType

from domain import models as m
from domain.enums import BidStatus, TenderStatus
from schema.root import build_schema
from tests.conftest import Api

STAFF = ["procurement@buyer.example", "admin@buyer.example", "auditor@buyer.example", "accounting@buyer.example"]
SUPPLIER_A, SUPPLIER_B = "sales@supplier-a.example", "sales@supplier-b.example"
BIDS = """query($id: ID!) { tender(id: $id) { status
  myBid { id total { amount } contentHash lines { unitPrice { amount } } supplier { code } }
  bids { id total { amount } contentHash lines { unitPrice { amount } amount { amount } } supplier { code } } } }"""


async def open_tender_with_two_bids() -> m.Tender:
    """A published tender of the demo on which suppliers A and B have both bid."""
    supplier_a = await m.Organization.get(code="SUP-A")
    supplier_b = await m.Organization.get(code="SUP-B")
    for tender in await m.Tender.filter(status=TenderStatus.PUBLISHED).order_by("id"):
        bidders = set(await m.Bid.filter(tender=tender, status=BidStatus.SUBMITTED).values_list("supplier_id",
                                                                                               flat=True))
        if {supplier_a.id, supplier_b.id} <= bidders:
            return tender
    raise AssertionError("the demo has no open tender with bids from both A and B")


@pytest.mark.parametrize("email", STAFF)
async def test_staff_read_no_bid_of_an_open_tender(api: Api, token_for, email: str) -> None:
    tender = await open_tender_with_two_bids()
    data = await api.as_user(await token_for(email)).query(BIDS, {"id": str(tender.id)})
    if data["tender"] is None:  # accounting does not read tenders at all
        assert email == "accounting@buyer.example"
        return
    assert data["tender"]["status"] == "PUBLISHED"
    assert data["tender"]["bids"] == [] and data["tender"]["myBid"] is None


async def test_a_supplier_reads_its_own_bid_and_only_it(api: Api, token_for) -> None:
    tender = await open_tender_with_two_bids()
    own = await m.Bid.get(tender=tender, supplier__code="SUP-A")
    data = (await api.as_user(await token_for(SUPPLIER_A)).query(BIDS, {"id": str(tender.id)}))["tender"]
    assert data["myBid"]["id"] == str(own.id)
    assert Decimal(data["myBid"]["total"]["amount"]) == own.total_amount
    assert data["myBid"]["contentHash"] == own.content_hash
    assert [bid["supplier"]["code"] for bid in data["bids"]] == ["SUP-A"]


async def test_closing_the_tender_opens_the_bids_to_staff(api: Api, token_for) -> None:
    """A fresh tender: sealed while published, readable by staff once closed; drafts and withdrawn bids never."""
    owner = await m.User.get(email="procurement@buyer.example")
    tender = await m.Tender.create(number=f"ZB-TEST-{uuid.uuid4().hex[:6]}", title="封标测试 / sealed bid test",
                                   status=TenderStatus.PUBLISHED, closes_at=owner.created_at, owner=owner)
    line = await m.TenderLine.create(tender=tender, line_no=1, item_code="X-1", item_name="测试件 / test part",
                                     quantity=Decimal(100))
    bids = {}
    for code, status in (("SUP-A", BidStatus.SUBMITTED), ("SUP-B", BidStatus.SUBMITTED), ("SUP-C", BidStatus.DRAFT)):
        supplier = await m.Organization.get(code=code)
        await m.TenderInvitation.create(tender=tender, supplier=supplier)
        bid = await m.Bid.create(tender=tender, supplier=supplier, status=status, total_amount=Decimal("123.45"),
                                 content_hash="ab" * 32)
        await m.BidLine.create(bid=bid, tender_line=line, unit_price=Decimal("1.2345"), quantity=Decimal(100),
                               amount=Decimal("123.45"))
        bids[code] = bid
    staff = api.as_user(await token_for("procurement@buyer.example"))
    assert (await staff.query(BIDS, {"id": str(tender.id)}))["tender"]["bids"] == []

    await m.Tender.filter(id=tender.id).update(status=TenderStatus.CLOSED)
    opened = (await staff.query(BIDS, {"id": str(tender.id)}))["tender"]["bids"]
    assert sorted(bid["supplier"]["code"] for bid in opened) == ["SUP-A", "SUP-B"]
    assert all(bid["lines"][0]["unitPrice"]["amount"] == "1.2345" for bid in opened)

    # A supplier still sees only its own bid after the opening.
    supplier_b = (await api.as_user(await token_for(SUPPLIER_B)).query(BIDS, {"id": str(tender.id)}))["tender"]
    assert [bid["supplier"]["code"] for bid in supplier_b["bids"]] == ["SUP-B"]


async def test_an_uninvited_supplier_cannot_reach_the_tender_or_its_bids(api: Api, token_for) -> None:
    tender = await open_tender_with_two_bids()
    supplier_c = await m.Organization.get(code="SUP-C")
    if await m.TenderInvitation.filter(tender=tender, supplier=supplier_c).exists():
        pytest.skip("supplier C is invited to this tender")
    data = await api.as_user(await token_for("sales@supplier-c.example")).query(BIDS, {"id": str(tender.id)})
    assert data == {"tender": None}


async def test_a_supplier_sees_its_own_invitation_only(api: Api, token_for) -> None:
    tender = await open_tender_with_two_bids()
    query = 'query($id: ID!) { tender(id: $id) { invitations { supplier { code } } awards { id } } }'
    data = await api.as_user(await token_for(SUPPLIER_A)).query(query, {"id": str(tender.id)})
    assert data["tender"]["invitations"] == [{"supplier": {"code": "SUP-A"}}]


def test_no_filter_of_the_schema_can_select_on_bid_contents() -> None:
    """A filter over bid prices would let staff probe sealed bids by bisection: no input type offers one."""
    schema = build_schema()._schema
    for type_ in schema.type_map.values():
        if isinstance(type_, GraphQLInputObjectType) and type_.name.endswith("Filter"):
            for name in type_.fields:
                lowered = name.lower()
                assert not any(word in lowered for word in ("bid", "price", "amount", "total")), (type_.name, name)
