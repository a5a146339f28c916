"""`reissueActivationLink` over GraphQL: a new link replaces the old one; refusals."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Api
from tests.schema.parties.conftest import ACTIVATE, ERRORS, mutate, token_of
from tests.schema.parties.test_suspend_supplier import REJECT
from tests.support.suppliers import PASSWORD

pytestmark = pytest.mark.usefixtures("demo")

REISSUE = f"""
mutation($id: ID!) {{
  reissueActivationLink(id: $id) {{ supplier {{ id }} admin {{ email }} activationLink activationExpiresAt {ERRORS} }}
}}"""


async def test_a_new_link_replaces_the_old_one(api: Api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    token = await token_for("procurement@buyer.example")
    payload = await mutate(api, REISSUE, {"id": invited.id}, token, "reissueActivationLink")
    assert payload["errors"] == [] and payload["admin"]["email"] == invited.admin_email
    new_token = token_of(payload["activationLink"])
    old = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    assert [e["code"] for e in old["errors"]] == ["INVALID_ACTIVATION_TOKEN"]
    new = await mutate(api, ACTIVATE, {"token": new_token, "password": PASSWORD}, None, "activateAccount")
    assert new["ok"]
    again = await mutate(api, REISSUE, {"id": invited.id}, token, "reissueActivationLink")
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("ALREADY_ACTIVATED", "id")]


async def test_reissue_refusals(api: Api, token_for, invite) -> None:  # noqa: ANN001
    invited, rejected = await invite(), await invite()
    staff = await token_for("admin@buyer.example")
    await mutate(api, REJECT, {"id": rejected.id, "reason": "no licence"}, staff, "rejectSupplier")
    cases = [
        (staff, rejected.id, ("ILLEGAL_TRANSITION", "id")),
        (staff, str(uuid.uuid4()), ("NOT_FOUND", "id")),
        (await token_for("accounting@buyer.example"), invited.id, ("PERMISSION_DENIED", None)),
        (await token_for("sales@supplier-a.example"), invited.id, ("PERMISSION_DENIED", None)),
    ]
    for token, supplier_id, refusal in cases:
        payload = await mutate(api, REISSUE, {"id": supplier_id}, token, "reissueActivationLink")
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [refusal]
        assert payload["activationLink"] is None
