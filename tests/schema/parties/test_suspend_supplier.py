"""`suspendSupplier` and `rejectSupplier` over GraphQL: success, every error code, permissions."""

from __future__ import annotations

import uuid

import pytest

from domain.models import Organization, User
from tests.conftest import Api
from tests.schema.parties.conftest import ACTIVATE, ERRORS, SUPPLIER_FIELDS, mutate
from tests.schema.parties.test_qualify_supplier import QUALIFY, refusals
from tests.support.suppliers import PASSWORD

pytestmark = pytest.mark.usefixtures("demo")

SUSPEND = f"""
mutation($id: ID!, $reason: String!) {{
  suspendSupplier(id: $id, reason: $reason) {{ supplier {{ {SUPPLIER_FIELDS} }} {ERRORS} }}
}}"""
REJECT = f"""
mutation($id: ID!, $reason: String!) {{
  rejectSupplier(id: $id, reason: $reason) {{ supplier {{ {SUPPLIER_FIELDS} }} {ERRORS} }}
}}"""
OWN = "query($id: ID!) { supplier(id: $id) { qualificationStatus suspensionReason } }"


@pytest.fixture
async def qualified(signing_api: Api, token_for, invite, supplier_admin_token):  # noqa: ANN001, ANN201
    """A qualified supplier and its admin's session token."""
    invited = await invite()
    admin_token = await supplier_admin_token(invited)
    payload = await mutate(signing_api, QUALIFY, {"id": invited.id}, await token_for("admin@buyer.example"),
                           "qualifySupplier")
    assert payload["errors"] == []
    return invited, admin_token


async def test_a_suspension_carries_its_reason_and_the_supplier_sees_it(api: Api, token_for, qualified) -> None:
    invited, admin_token = qualified
    payload = await mutate(api, SUSPEND, {"id": invited.id, "reason": "三次延迟交货 / three late deliveries"},
                           await token_for("procurement@buyer.example"), "suspendSupplier")
    assert payload["errors"] == []
    assert payload["supplier"]["qualificationStatus"] == "SUSPENDED" and payload["supplier"]["suspendedAt"]
    own = (await api.query(OWN, {"id": invited.id}, admin_token))["supplier"]
    assert own == {"qualificationStatus": "SUSPENDED", "suspensionReason": "三次延迟交货 / three late deliveries"}
    again = await mutate(api, SUSPEND, {"id": invited.id, "reason": "again"},
                         await token_for("procurement@buyer.example"), "suspendSupplier")
    assert refusals(again) == [("ILLEGAL_TRANSITION", "id")]


async def test_suspension_refusals(api: Api, token_for, qualified, invite) -> None:  # noqa: ANN001
    invited, admin_token = qualified
    staff = await token_for("admin@buyer.example")
    cases = [
        (staff, {"id": invited.id, "reason": " "}, ("INVALID", "reason")),
        (staff, {"id": (await invite()).id, "reason": "not yet qualified"}, ("ILLEGAL_TRANSITION", "id")),
        (staff, {"id": str(uuid.uuid4()), "reason": "x"}, ("NOT_FOUND", "id")),
        (await token_for("accounting@buyer.example"), {"id": invited.id, "reason": "x"}, ("PERMISSION_DENIED", None)),
        (admin_token, {"id": invited.id, "reason": "x"}, ("PERMISSION_DENIED", None)),
        (await token_for("sales@supplier-a.example"), {"id": invited.id, "reason": "x"}, ("PERMISSION_DENIED", None)),
    ]
    for token, variables, refusal in cases:
        payload = await mutate(api, SUSPEND, variables, token, "suspendSupplier")
        assert refusals(payload) == [refusal], variables
    assert (await Organization.get(id=invited.id)).qualification_status == "QUALIFIED"


async def test_rejecting_an_applicant_deactivates_its_users(api: Api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    payload = await mutate(api, REJECT, {"id": invited.id, "reason": "no business licence"},
                           await token_for("procurement@buyer.example"), "rejectSupplier")
    assert payload["errors"] == [] and payload["supplier"]["qualificationStatus"] == "REJECTED"
    assert not (await User.get(email=invited.admin_email)).is_active
    activation = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    assert [e["code"] for e in activation["errors"]] == ["INVALID_ACTIVATION_TOKEN"]


async def test_rejection_refusals(api: Api, token_for, qualified, invite) -> None:  # noqa: ANN001
    invited, _ = qualified
    staff = await token_for("admin@buyer.example")
    applicant = await invite()
    cases = [
        (staff, {"id": invited.id, "reason": "too late"}, ("ILLEGAL_TRANSITION", "id")),
        (staff, {"id": applicant.id, "reason": ""}, ("INVALID", "reason")),
        (staff, {"id": str(uuid.uuid4()), "reason": "x"}, ("NOT_FOUND", "id")),
        (await token_for("accounting@buyer.example"), {"id": applicant.id, "reason": "x"}, ("PERMISSION_DENIED", None)),
        (await token_for("sales@supplier-b.example"), {"id": applicant.id, "reason": "x"}, ("PERMISSION_DENIED", None)),
    ]
    for token, variables, refusal in cases:
        payload = await mutate(api, REJECT, variables, token, "rejectSupplier")
        assert refusals(payload) == [refusal], variables
    assert (await Organization.get(id=applicant.id)).qualification_status == "APPLIED"
