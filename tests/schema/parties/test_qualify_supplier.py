"""`qualifySupplier` over GraphQL: success (with the signing key), every error code, permissions."""

from __future__ import annotations

import uuid

import pytest

from domain.enums import KeyStatus
from domain.models import Organization, SigningKey
from tests.conftest import Api
from tests.schema.parties.conftest import ERRORS, SUPPLIER_FIELDS, mutate

pytestmark = pytest.mark.usefixtures("demo")

QUALIFY = f"""
mutation($id: ID!, $note: String! = "") {{
  qualifySupplier(id: $id, note: $note) {{ supplier {{ {SUPPLIER_FIELDS} }} {ERRORS} }}
}}"""


def refusals(payload: dict) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


async def test_procurement_qualifies_an_applicant_who_gets_a_signing_key(signing_api: Api, token_for, invite) -> None:
    invited = await invite()
    payload = await mutate(signing_api, QUALIFY, {"id": invited.id, "note": "audit passed"},
                           await token_for("procurement@buyer.example"), "qualifySupplier")
    assert payload["errors"] == [] and payload["supplier"]["qualificationStatus"] == "QUALIFIED"
    assert payload["supplier"]["qualifiedAt"]
    assert await SigningKey.filter(organization_id=invited.id, status=KeyStatus.ACTIVE).count() == 1

    again = await mutate(signing_api, QUALIFY, {"id": invited.id}, await token_for("admin@buyer.example"),
                         "qualifySupplier")
    assert refusals(again) == [("ILLEGAL_TRANSITION", "id")] and again["supplier"] is None


async def test_a_server_that_cannot_sign_does_not_qualify(api: Api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()  # `api` has no master key configured
    payload = await mutate(api, QUALIFY, {"id": invited.id}, await token_for("procurement@buyer.example"),
                           "qualifySupplier")
    assert [e["code"] for e in payload["errors"]] == ["SIGNING_UNAVAILABLE"]
    assert (await Organization.get(id=invited.id)).qualification_status == "APPLIED"


@pytest.mark.parametrize("email", ["accounting@buyer.example", "auditor@buyer.example", "sales@supplier-b.example"])
async def test_only_procurement_and_admins_qualify(signing_api: Api, token_for, invite, email) -> None:  # noqa: ANN001
    invited = await invite()
    payload = await mutate(signing_api, QUALIFY, {"id": invited.id}, await token_for(email), "qualifySupplier")
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
    assert (await Organization.get(id=invited.id)).qualification_status == "APPLIED"


async def test_an_applicant_cannot_qualify_itself(signing_api: Api, invite, supplier_admin_token) -> None:
    invited = await invite()
    payload = await mutate(signing_api, QUALIFY, {"id": invited.id}, await supplier_admin_token(invited),
                           "qualifySupplier")
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]


async def test_unknown_suppliers_and_bad_input(signing_api: Api, token_for, invite) -> None:  # noqa: ANN001
    token = await token_for("admin@buyer.example")
    buyer = await Organization.get(code="BUYER")
    for unknown in (str(uuid.uuid4()), str(buyer.id)):
        payload = await mutate(signing_api, QUALIFY, {"id": unknown}, token, "qualifySupplier")
        assert refusals(payload) == [("NOT_FOUND", "id")]
    invited = await invite()
    payload = await mutate(signing_api, QUALIFY, {"id": invited.id, "note": "x" * 501}, token, "qualifySupplier")
    assert refusals(payload) == [("INVALID", "note")]
    body = (await signing_api.post(QUALIFY, {"id": "not-an-id"}, token)).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
