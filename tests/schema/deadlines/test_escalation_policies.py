"""`escalationPolicies` and `updateEscalationPolicy` over GraphQL: staff read them, admins change them, and refusals
name the field."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.models import EscalationPolicy
from tests.conftest import Api
from tests.support.procurement import ACCOUNTING, ADMIN, PROCUREMENT, SUPPLIER_A, codes, mutate

POLICIES = """{ escalationPolicies { kind dueHours dueWorkingDays reminderHours escalationSteps { afterHours to }
  finalAction finalAfterHours isDefault updatedAt } }"""
UPDATE = """mutation($input: UpdateEscalationPolicyInput!) { updateEscalationPolicy(input: $input) {
  policy { kind dueHours dueWorkingDays reminderHours escalationSteps { afterHours to } finalAction finalAfterHours
           isDefault }
  errors { code message field } } }"""


@pytest.fixture
async def restore_policies() -> AsyncIterator[None]:
    """Policies are global: put the demo's rows back for the other tests."""
    before = await EscalationPolicy.all().values()
    yield
    await EscalationPolicy.all().delete()
    for values in before:
        await EscalationPolicy.create(**values)


def contract_policy(**changes) -> dict:  # noqa: ANN003
    return {"kind": "CONTRACT", "dueWorkingDays": 4, "reminderHours": [4, 48],
            "escalationSteps": [{"afterHours": 0, "to": "OWNER"}, {"afterHours": 24, "to": "MANAGER"}],
            "finalAction": "EXPIRE_OFFER", "finalAfterHours": 96, **changes}


async def test_staff_read_every_kind_and_suppliers_nothing(api: Api, token_for) -> None:  # noqa: ANN001
    data = await api.query(POLICIES, token=await token_for(ACCOUNTING))
    kinds = [policy["kind"] for policy in data["escalationPolicies"]]
    assert kinds == ["CONTRACT", "PURCHASE_ORDER", "STATEMENT", "PLAN_REVISION", "TENDER_BID"]
    tender = data["escalationPolicies"][-1]
    assert tender["dueHours"] is None and tender["dueWorkingDays"] is None
    assert (await api.query(POLICIES, token=await token_for(SUPPLIER_A)))["escalationPolicies"] == []


@pytest.mark.usefixtures("restore_policies")
async def test_an_admin_updates_a_policy(api: Api, token_for) -> None:  # noqa: ANN001
    admin = await token_for(ADMIN)
    payload = await mutate(api, admin, UPDATE, {"input": contract_policy()})
    assert payload["errors"] == []
    assert payload["policy"] == {
        "kind": "CONTRACT", "dueHours": None, "dueWorkingDays": 4, "reminderHours": [48, 4],
        "escalationSteps": [{"afterHours": 0, "to": "OWNER"}, {"afterHours": 24, "to": "MANAGER"}],
        "finalAction": "EXPIRE_OFFER", "finalAfterHours": 96, "isDefault": False,
    }
    listed = {p["kind"]: p for p in (await api.query(POLICIES, token=admin))["escalationPolicies"]}
    assert listed["CONTRACT"]["dueWorkingDays"] == 4 and listed["CONTRACT"]["updatedAt"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"dueHours": 24}, "dueHours"),
    ({"dueWorkingDays": None}, "dueWorkingDays"),
    ({"dueWorkingDays": 100}, "dueWorkingDays"),
    ({"reminderHours": [4, 4]}, "reminderHours[1]"),
    ({"reminderHours": [96]}, "reminderHours[0]"),
    ({"escalationSteps": [{"afterHours": 24, "to": "OWNER"}, {"afterHours": 0, "to": "MANAGER"}]},
     "escalationSteps[1].afterHours"),
    ({"finalAction": "MARK_UNANSWERED"}, "finalAction"),
    ({"finalAfterHours": 12}, "finalAfterHours"),
])
async def test_refusals_name_the_input_field(api: Api, token_for, changes: dict, field: str) -> None:  # noqa: ANN001
    before = await EscalationPolicy.all().values()
    payload = await mutate(api, await token_for(ADMIN), UPDATE, {"input": contract_policy(**changes)})
    assert codes(payload) == [("INVALID", field)] and payload["policy"] is None
    assert await EscalationPolicy.all().values() == before


async def test_only_admins_update(api: Api, token_for) -> None:  # noqa: ANN001
    for email in (PROCUREMENT, SUPPLIER_A):
        payload = await mutate(api, await token_for(email), UPDATE, {"input": contract_policy()})
        assert codes(payload) == [("PERMISSION_DENIED", None)]


async def test_an_unknown_target_is_refused_by_the_schema(api: Api, token_for) -> None:  # noqa: ANN001
    response = await api.post(UPDATE, {"input": contract_policy(escalationSteps=[{"afterHours": 0, "to": "CEO"}])},
                              token=await token_for(ADMIN))
    assert "errors" in response.json()


async def test_anonymous_callers_are_refused(api: Api) -> None:
    body = (await api.post(POLICIES)).json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
