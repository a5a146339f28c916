"""`submitBid`: the receipt, revisions, the closing instant, and every refusal (over GraphQL)."""

from __future__ import annotations

import base64
import uuid
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from api.app import create_app
from api.documents import DocumentServices
from domain.clock import FrozenClock
from domain.enums import QualificationStatus
from domain.models import Bid, Organization
from tests.conftest import Api, client_for
from tests.schema.tenders.conftest import (
    PROCUREMENT, SUPPLIER_A, SUPPLIER_B, SUPPLIER_C, codes, mutate, published_to_a_and_b,
)
from tests.support import tenders as t
from workflows import tendering

SUBMIT = """mutation($input: SubmitBidInput!) { submitBid(input: $input) {
  bid { id status revision total { amount currency } contentHash timestamped lines { unitPrice { amount } } }
  receipt { contentHash submittedAt revision timestamped timestampToken }
  errors { code message field } } }"""


async def bid_input(tender, *prices: str, **changes) -> dict:  # noqa: ANN001, ANN003
    lines = await t.tender_lines(tender)
    data = {"tenderId": str(tender.id), "lines": [{"tenderLineId": str(line.id), "unitPrice": price}
                                                  for line, price in zip(lines, prices, strict=False)]}
    data.update(changes)
    return data


async def test_a_supplier_bids_and_gets_its_receipt(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    api = await as_user(SUPPLIER_A)
    payload = await mutate(api, SUBMIT, {"input": await bid_input(tender, "1.25", "3")}, "submitBid")
    assert payload["errors"] == []
    receipt, bid = payload["receipt"], payload["bid"]
    assert bid["status"] == "SUBMITTED" and bid["revision"] == receipt["revision"] == 1
    assert bid["total"] == {"amount": "725.00", "currency": "CNY"}  # 100 x 1.25 + 200 x 3
    stored = await Bid.get(id=bid["id"])
    assert receipt["contentHash"] == bid["contentHash"] == stored.content_hash
    assert receipt["contentHash"] == await tendering.recompute_bid_hash(stored)
    assert receipt["submittedAt"] == clock.now().isoformat()
    assert receipt["timestamped"] is False and receipt["timestampToken"] is None  # no TSA in the test service

    clock.advance(timedelta(minutes=1))
    revised = await mutate(api, SUBMIT, {"input": await bid_input(tender, "1.20", "3", note="修订 / revised")},
                           "submitBid")
    assert revised["receipt"]["revision"] == 2 and revised["bid"]["id"] == bid["id"]
    assert revised["receipt"]["contentHash"] != receipt["contentHash"]


async def test_the_receipt_carries_the_time_stamp_token_when_the_service_has_a_time_stamper(
        settings, service, token_for, clock) -> None:  # noqa: ANN001
    from tests.support.tsa import LocalTimeStampingAuthority
    from workflows.documents.signing import timestamper_for

    tender = await published_to_a_and_b(clock)
    with LocalTimeStampingAuthority(clock=clock.now) as authority:
        service.timestamper = timestamper_for(authority.url)
        try:
            with client_for(settings, clock=clock, service=service) as stamped:
                async with stamped.client:
                    api = stamped.as_user(await token_for(SUPPLIER_B))
                    payload = await mutate(api, SUBMIT, {"input": await bid_input(tender, "1", "1")}, "submitBid")
        finally:
            service.timestamper = None
    receipt = payload["receipt"]
    assert receipt["timestamped"] is True and payload["bid"]["timestamped"] is True
    assert base64.b64decode(receipt["timestampToken"]) == (await Bid.get(id=payload["bid"]["id"])).timestamp_token


class CountingDocumentServices(DocumentServices):
    """The app's document services, counting how often a request builds (or asks for) the DocumentService."""

    def __init__(self, settings, clock) -> None:  # noqa: ANN001
        super().__init__(settings, clock)
        self.asked = 0

    async def get(self):  # noqa: ANN201
        self.asked += 1
        return await super().get()


async def test_a_bid_is_timestamped_without_starting_the_document_service(settings, token_for,  # noqa: ANN001
                                                                           clock) -> None:
    from tests.support.tsa import LocalTimeStampingAuthority

    tender = await published_to_a_and_b(clock)
    with LocalTimeStampingAuthority(clock=clock.now) as authority:
        documents = CountingDocumentServices(replace(settings, tsa_url=authority.url), clock)
        app = create_app(settings, clock=clock, manage_database=False, documents=documents)
        transport = httpx.ASGITransport(app=app, client=("203.0.113.77", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as http:
            api = Api(http, token=await token_for(SUPPLIER_A))
            payload = await mutate(api, SUBMIT, {"input": await bid_input(tender, "1", "1")}, "submitBid")
    assert payload["errors"] == [] and payload["receipt"]["timestamped"] is True
    assert documents.asked == 0 and documents._renderer is None, "no renderer pool is started for a bid"


SUBMIT_ONCE = """mutation($input: SubmitBidInput!, $key: String) { submitBid(input: $input, idempotencyKey: $key) {
  bid { id revision } receipt { contentHash submittedAt revision } errors { code message field } } }"""


async def test_an_idempotency_key_returns_the_same_bid_and_refuses_other_input(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    api = await as_user(SUPPLIER_A)
    key = f"bid-{uuid.uuid4()}"
    data = await bid_input(tender, "1.25", "3")
    first = await mutate(api, SUBMIT_ONCE, {"input": data, "key": key}, "submitBid")
    clock.advance(timedelta(seconds=30))
    again = await mutate(api, SUBMIT_ONCE, {"input": data, "key": key}, "submitBid")
    assert first["errors"] == again["errors"] == []
    assert again["bid"] == first["bid"] == {"id": first["bid"]["id"], "revision": 1}
    assert again["receipt"] == first["receipt"]
    other = await mutate(api, SUBMIT_ONCE, {"input": await bid_input(tender, "1.20", "3"), "key": key}, "submitBid")
    assert other["bid"] is None and codes(other) == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
    assert (await Bid.get(id=first["bid"]["id"])).revision == 1


async def test_a_bid_at_the_closing_instant_is_refused_and_a_microsecond_before_accepted(
        settings, service, token_for, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    answers = {}
    for label, at in (("before", tender.closes_at - timedelta(microseconds=1)), ("at", tender.closes_at)):
        with client_for(settings, clock=FrozenClock(at), service=service) as timed:
            async with timed.client:
                email = SUPPLIER_A if label == "before" else SUPPLIER_B
                api = timed.as_user(await token_for(email))
                answers[label] = await mutate(api, SUBMIT, {"input": await bid_input(tender, "2", "2")}, "submitBid")
    assert answers["before"]["errors"] == [] and answers["before"]["bid"]["status"] == "SUBMITTED"
    assert answers["at"]["bid"] is None and codes(answers["at"]) == [("TENDER_CLOSED", "tenderId")]


REFUSALS = {
    "buyer staff": ("PERMISSION_DENIED", "tenderId"),
    "not invited": ("NOT_FOUND", "tenderId"),
    "unknown tender": ("NOT_FOUND", "tenderId"),
    "suspended supplier": ("SUPPLIER_NOT_QUALIFIED", "tenderId"),
    "declined": ("INVITATION_DECLINED", "tenderId"),
    "negative price": ("PRICE_NEGATIVE", "lines[1].unitPrice"),
    "five decimals": ("TOO_MANY_DECIMALS", "lines[0].unitPrice"),
    "line of another tender": ("UNKNOWN_TENDER_LINE", "lines[0].tenderLineId"),
    "line twice": ("DUPLICATE_LINE", "lines[1].tenderLineId"),
    "no lines": ("NO_LINES", "lines"),
    "cancelled": ("TENDER_CANCELLED", "tenderId"),
}


@pytest.mark.parametrize("case", list(REFUSALS))
async def test_refusals(as_user, client, clock, case: str) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    api = await as_user(SUPPLIER_A)
    data = await bid_input(tender, "1", "2")
    if case == "buyer staff":
        api = await as_user(PROCUREMENT)
    elif case == "not invited":
        api = await as_user(SUPPLIER_C)
    elif case == "unknown tender":
        data["tenderId"] = str(uuid.uuid4())
    elif case == "suspended supplier":
        category = t.new_category()
        supplier = await t.new_supplier(category)
        tender = await t.published_tender(clock, [supplier])
        data = await bid_input(tender, "1", "2")
        await Organization.filter(id=supplier.org_id).update(qualification_status=QualificationStatus.SUSPENDED)
        api = client.as_user(await t.bearer_token(supplier))
    elif case == "declined":
        ack = await api.query("""query($number: String!) {
          acknowledgements(first: 10, filter: {kind: [TENDER_BID], search: $number}) {
          edges { node { id subjectId } } } }""", {"number": tender.number})
        [ack_id] = [edge["node"]["id"] for edge in ack["acknowledgements"]["edges"]
                    if edge["node"]["subjectId"] == str(tender.id)]
        answer = await api.query("""mutation($id: ID!) { acknowledge(input: {id: $id, accept: false,
          reason: "产能已满 / fully booked"}) { errors { code } } }""", {"id": ack_id})
        assert answer["acknowledge"]["errors"] == []
    elif case == "negative price":
        data = await bid_input(tender, "1", "-1")
    elif case == "five decimals":
        data = await bid_input(tender, "1.00001", "2")
    elif case == "line of another tender":
        other = await published_to_a_and_b(clock)
        data["lines"][0]["tenderLineId"] = str((await t.tender_lines(other))[0].id)
    elif case == "line twice":
        data["lines"][1]["tenderLineId"] = data["lines"][0]["tenderLineId"]
    elif case == "no lines":
        data["lines"] = []
    elif case == "cancelled":
        await tendering.cancel_tender(await t.staff(), tender.id, "取消 / cancelled", clock=clock)
    payload = await mutate(api, SUBMIT, {"input": data}, "submitBid")
    assert payload["bid"] is None and payload["receipt"] is None
    assert codes(payload) == [REFUSALS[case]], payload["errors"]
    assert not await Bid.filter(tender_id=tender.id).exists()


async def test_a_malformed_id_is_a_top_level_input_error(as_user, clock) -> None:  # noqa: ANN001
    tender = await published_to_a_and_b(clock)
    data = await bid_input(tender, "1")
    data["lines"][0]["tenderLineId"] = "not-an-id"
    response = await (await as_user(SUPPLIER_A)).post(SUBMIT, {"input": data})
    body = response.json()
    assert body["data"] is None and "lines[0].tenderLineId" in body["errors"][0]["message"]
