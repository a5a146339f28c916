"""`generateStatement` over GraphQL: success, each error code, permission denied, idempotency."""

from __future__ import annotations

import uuid

import pytest

from domain.enums import StatementStatus
from domain.models import Organization, Statement

from tests.conftest import Api
from tests.schema.statements.conftest import ERRORS, STATEMENT_FIELDS, at
from tests.support.procurement import ACCOUNTING, ADMIN, PROCUREMENT, SUPPLIER_A, codes, mutate, supplier
from tests.support.statement_world import Delivery, deliveries

pytestmark = pytest.mark.usefixtures("demo")

GENERATE = f"mutation($input: GenerateStatementInput!) {{ generateStatement(input: $input) {{ " \
           f"statement {{ {STATEMENT_FIELDS} }} {ERRORS} }} }}"


async def test_accounting_generates_a_draft_with_deductions_and_a_retry_returns_it(api: Api, token_for) -> None:  # noqa: ANN001
    await deliveries("SUP-A", Delivery(at("2023-01-09T02:00:00"), price="2.0050", received="5"),
                     Delivery(at("2023-01-10T02:00:00"), price="1", received="10", rejected="2"))
    variables = {"input": {"supplierId": str((await supplier("SUP-A")).id), "period": "2023-01",
                           "deductions": [{"description": "逾期交货违约金 / Late delivery penalty", "amount": "8.5"}],
                           "idempotencyKey": "gen-2023-01"}}
    payload = await mutate(api, await token_for(ACCOUNTING), GENERATE, variables)
    assert payload["errors"] == []
    statement = payload["statement"]
    assert (statement["status"], statement["version"], statement["period"]) == ("DRAFT", 1, "2023-01")
    assert (statement["goodsAmount"], statement["deductionAmount"]["amount"], statement["total"]["amount"]) == (
        {"amount": "18.03", "currency": "CNY"}, "8.50", "9.53")
    assert [(line["kind"], line["amount"]["amount"]) for line in statement["lines"]] == [
        ("RECEIPT", "10.03"), ("RECEIPT", "8.00"), ("DEDUCTION", "-8.50")]
    again = await mutate(api, await token_for(ACCOUNTING), GENERATE, variables)
    assert again["statement"]["id"] == statement["id"]
    variables["input"]["deductions"] = []
    reused = await mutate(api, await token_for(ACCOUNTING), GENERATE, variables)
    assert codes(reused) == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")] and reused["statement"] is None


async def test_refusals_name_their_field(api: Api, token_for) -> None:  # noqa: ANN001
    a = str((await supplier("SUP-A")).id)
    await deliveries("SUP-B", Delivery(at("2023-02-03T02:00:00"), price="1", received="1"))
    await deliveries("SUP-B", Delivery(at("2023-02-04T02:00:00"), price="1", received="1"), currency="USD")
    # A month the demo's supplier already confirmed (the refusal changes nothing).
    confirmed = await Statement.filter(status=StatementStatus.CONFIRMED).first()
    cases = [
        ({"supplierId": str(uuid.uuid4()), "period": "2023-02"}, [("NOT_FOUND", "supplierId")]),
        ({"supplierId": str((await Organization.get(code="BUYER")).id), "period": "2023-02"},
         [("NOT_FOUND", "supplierId")]),
        ({"supplierId": a, "period": "February"}, [("INVALID", "period")]),
        ({"supplierId": a, "period": "2099-12"}, [("PERIOD_NOT_STARTED", "period")]),
        ({"supplierId": a, "period": "2023-02", "deductions": [{"description": "x", "amount": "0"}]},
         [("AMOUNT_NOT_POSITIVE", "deductions[0].amount")]),
        ({"supplierId": a, "period": "2023-02", "deductions": [{"description": "", "amount": "1"}]},
         [("INVALID", "deductions[0].description")]),
        ({"supplierId": a, "period": "2023-02"}, [("NOTHING_TO_STATE", "period")]),
        ({"supplierId": str((await supplier("SUP-B")).id), "period": "2023-02"},
         [("MIXED_CURRENCIES", "supplierId")]),
        ({"supplierId": str(confirmed.supplier_id), "period": confirmed.period},
         [("STATEMENT_CONFIRMED", "period")]),
        ({"supplierId": a, "period": "2023-02", "idempotencyKey": " "}, [("INVALID", "idempotencyKey")]),
    ]
    token = await token_for(ADMIN)
    for input, expected in cases:
        payload = await mutate(api, token, GENERATE, {"input": input})
        assert codes(payload) == expected, input


@pytest.mark.parametrize("email", [PROCUREMENT, SUPPLIER_A])
async def test_only_accounting_and_admins_generate(api: Api, token_for, email: str) -> None:  # noqa: ANN001
    await deliveries("SUP-A", Delivery(at("2023-03-03T02:00:00"), price="1", received="1"))
    payload = await mutate(api, await token_for(email), GENERATE,
                           {"input": {"supplierId": str((await supplier("SUP-A")).id), "period": "2023-03"}})
    assert codes(payload) == [("PERMISSION_DENIED", None)]


async def test_anonymous_callers_are_refused_at_the_top(api: Api) -> None:
    response = await api.post(GENERATE, {"input": {"supplierId": str(uuid.uuid4()), "period": "2023-03"}})
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
