"""`createTender`: success, idempotent retry, each kind of refusal, permission denied."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.models import Tender, TenderInvitation
from tests.schema.tenders.conftest import PROCUREMENT, SUPPLIER_A, codes, mutate, org_id

CREATE = """mutation($input: CreateTenderInput!, $key: String) {
  createTender(input: $input, idempotencyKey: $key) {
    tender { id number status visibility currency closesAt lines { lineNo itemCode quantity unit } }
    errors { code message field } } }"""


async def tender_input(clock, **changes) -> dict:  # noqa: ANN001, ANN003
    data = {
        "title": "螺栓年度询价 / Bolts 2026", "closesAt": (clock.now() + timedelta(days=3)).isoformat(),
        "invitedSupplierIds": [await org_id("SUP-A"), await org_id("SUP-B")], "currency": "CNY",
        "lines": [{"itemCode": "FA-M8x30", "itemName": "六角螺栓 M8x30 / Hex bolt", "quantity": "10000"},
                  {"itemCode": "FA-W8", "itemName": "平垫圈 / Washer", "quantity": "2.5", "unit": "KG"}],
    }
    data.update(changes)
    return data


async def test_staff_create_a_draft_tender(as_user, clock) -> None:  # noqa: ANN001
    api = await as_user(PROCUREMENT)
    payload = await mutate(api, CREATE, {"input": await tender_input(clock)}, "createTender")
    assert payload["errors"] == []
    tender = payload["tender"]
    assert tender["status"] == "DRAFT" and tender["visibility"] == "INVITED" and tender["number"].startswith("ZB-")
    assert [(line["lineNo"], line["quantity"], line["unit"]) for line in tender["lines"]] == [
        (1, "10000.000", "PCS"), (2, "2.500", "KG")]
    assert await TenderInvitation.filter(tender_id=tender["id"]).count() == 2


async def test_a_retry_with_the_same_idempotency_key_creates_nothing_twice(as_user, clock) -> None:  # noqa: ANN001
    api = await as_user(PROCUREMENT)
    variables = {"input": await tender_input(clock), "key": f"tender-{clock.now().timestamp()}-retry"}
    first = await mutate(api, CREATE, variables, "createTender")
    second = await mutate(api, CREATE, variables, "createTender")
    assert first["tender"]["id"] == second["tender"]["id"]
    assert await Tender.filter(number=first["tender"]["number"]).count() == 1
    variables["input"]["title"] = "changed"
    reused = await mutate(api, CREATE, variables, "createTender")
    assert reused["tender"] is None and codes(reused) == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]


REFUSALS = [
    ({"closesAt": "past"}, ("CLOSES_AT_PASSED", "closesAt")),
    ({"lines": []}, ("NO_LINES", "lines")),
    ({"lines": [{"itemCode": "X", "itemName": "x", "quantity": "-1"}]}, ("QUANTITY_NOT_POSITIVE", "lines[0].quantity")),
    ({"lines": [{"itemCode": "X", "itemName": "x", "quantity": "1.0001"}]}, ("TOO_MANY_DECIMALS", "lines[0].quantity")),
    ({"invitedSupplierIds": []}, ("NO_INVITEES", "invitedSupplierIds")),
    ({"invitedSupplierIds": ["SUP-D"]}, ("SUPPLIER_NOT_QUALIFIED", "invitedSupplierIds[0]")),
    ({"invitedSupplierIds": ["0190a0a0-0000-7000-8000-000000000000"]}, ("NOT_FOUND", "invitedSupplierIds[0]")),
    ({"visibility": "OPEN", "invitedSupplierIds": [], "category": ""}, ("INVALID", "category")),
    ({"currency": "XBT"}, ("INVALID", "currency")),
    ({"title": ""}, ("INVALID", "title")),
    ({"closesAt": "naive"}, ("INVALID", "closesAt")),
]


@pytest.mark.parametrize(("changes", "expected"), REFUSALS, ids=[e[0] + ":" + e[1] for _, e in REFUSALS])
async def test_refusals_are_errors_naming_the_field(as_user, clock, changes: dict, expected: tuple) -> None:  # noqa: ANN001
    changes = dict(changes)
    if changes.get("closesAt") == "past":
        changes["closesAt"] = (clock.now() - timedelta(minutes=1)).isoformat()
    elif changes.get("closesAt") == "naive":
        changes["closesAt"] = (clock.now() + timedelta(days=1)).replace(tzinfo=None).isoformat()
    if changes.get("invitedSupplierIds") == ["SUP-D"]:
        changes["invitedSupplierIds"] = [await org_id("SUP-D")]
    before = await Tender.all().count()
    payload = await mutate(await as_user(PROCUREMENT), CREATE, {"input": await tender_input(clock, **changes)},
                           "createTender")
    assert payload["tender"] is None and codes(payload) == [expected]
    assert await Tender.all().count() == before


@pytest.mark.parametrize("email", [SUPPLIER_A, "accounting@buyer.example", "auditor@buyer.example"])
async def test_only_procurement_and_admins_may_create(as_user, clock, email: str) -> None:  # noqa: ANN001
    payload = await mutate(await as_user(email), CREATE, {"input": await tender_input(clock)}, "createTender")
    assert payload["tender"] is None and codes(payload)[0][0] == "PERMISSION_DENIED"


async def test_anonymous_callers_are_refused_at_the_top_level(client, clock) -> None:  # noqa: ANN001
    response = await client.post(CREATE, {"input": await tender_input(clock)})
    body = response.json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
