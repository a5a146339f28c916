"""`inviteSupplier` over GraphQL: success, every error code, permissions, and retries with an idempotency key."""

from __future__ import annotations

import uuid

import pytest

from domain.models import Organization, User
from tests.conftest import Api
from tests.schema.parties.conftest import INVITE, invitation_input, mutate
from workflows.identity import token_digest

pytestmark = pytest.mark.usefixtures("demo")


async def invite(api: Api, token: str, key: str | None = None, **changes) -> dict:  # noqa: ANN003
    return await mutate(api, INVITE, {"input": invitation_input(**changes), "key": key}, token, "inviteSupplier")


async def test_procurement_invites_a_supplier_and_gets_its_activation_link_once(api: Api, token_for) -> None:
    request = invitation_input(categories=["FASTENERS", "PLASTICS"], contactEmail="Sales@GraphQL-Supplier.example")
    payload = await mutate(api, INVITE, {"input": request}, await token_for("procurement@buyer.example"),
                           "inviteSupplier")
    assert payload["errors"] == []
    supplier, admin = payload["supplier"], payload["admin"]
    assert supplier["code"] == request["code"] and supplier["qualificationStatus"] == "APPLIED"
    assert supplier["categories"] == ["FASTENERS", "PLASTICS"] and supplier["creditCode"] == request["creditCode"]
    assert supplier["contactEmail"] == "sales@graphql-supplier.example" and supplier["qualifiedAt"] is None
    assert admin["email"] == request["adminEmail"] and admin["roles"] == ["SUPPLIER_ADMIN"]
    link = payload["activationLink"]
    assert link.startswith("http://127.0.0.1:8000/activate?token=pac_") and payload["activationExpiresAt"]
    stored = await User.get(id=admin["id"])
    assert stored.password_hash is None and stored.activation_token_hash == token_digest(link.split("token=")[1])


@pytest.mark.parametrize("changes, code, field", [
    ({"code": "?"}, "INVALID", "code"),
    ({"creditCode": "91350100M000100Y42"}, "INVALID_CREDIT_CODE", "creditCode"),
    ({"adminEmail": "nobody"}, "INVALID", "adminEmail"),
    ({"nameZh": ""}, "INVALID", "nameZh"),
    ({"categories": ["X"] * 21}, "INVALID", "categories"),
    ({"code": "SUP-A"}, "DUPLICATE_CODE", "code"),
    ({"adminEmail": "sales@supplier-b.example"}, "DUPLICATE_EMAIL", "adminEmail"),
])
async def test_refusals_name_their_code_and_field(api: Api, token_for, changes, code, field) -> None:  # noqa: ANN001
    payload = await invite(api, await token_for("admin@buyer.example"), **changes)
    assert payload["supplier"] is None and payload["activationLink"] is None
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [(code, field)]


async def test_a_taken_credit_code_is_refused(api: Api, token_for) -> None:  # noqa: ANN001
    token = await token_for("procurement@buyer.example")
    first = await invite(api, token)
    payload = await invite(api, token, creditCode=first["supplier"]["creditCode"])
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("DUPLICATE_CREDIT_CODE", "creditCode")]


@pytest.mark.parametrize("email", ["sales@supplier-a.example", "accounting@buyer.example"])
async def test_suppliers_and_accounting_may_not_invite(api: Api, token_for, email) -> None:  # noqa: ANN001
    request = invitation_input()
    payload = await mutate(api, INVITE, {"input": request}, await token_for(email), "inviteSupplier")
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"] and payload["supplier"] is None
    assert not await Organization.filter(code=request["code"]).exists()


async def test_an_anonymous_caller_is_refused_at_the_top(api: Api) -> None:
    body = (await api.post(INVITE, {"input": invitation_input()})).json()
    assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_retried_invitation_creates_one_supplier(api: Api, token_for) -> None:  # noqa: ANN001
    token, key, request = await token_for("procurement@buyer.example"), f"k-{uuid.uuid4()}", invitation_input()
    first = await mutate(api, INVITE, {"input": request, "key": key}, token, "inviteSupplier")
    again = await mutate(api, INVITE, {"input": request, "key": key}, token, "inviteSupplier")
    assert first["errors"] == again["errors"] == []
    assert again["supplier"]["id"] == first["supplier"]["id"] and again["admin"]["id"] == first["admin"]["id"]
    assert first["activationLink"] and again["activationLink"] is None
    assert await Organization.filter(code=request["code"]).count() == 1
    changed = await mutate(api, INVITE, {"input": {**request, "nameEn": "Other"}, "key": key}, token,
                           "inviteSupplier")
    assert [(e["code"], e["field"]) for e in changed["errors"]] == [("IDEMPOTENCY_KEY_REUSED", "idempotencyKey")]
