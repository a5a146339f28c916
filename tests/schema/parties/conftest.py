"""Fixtures for the parties mutations over GraphQL: staff and supplier clients, and invited suppliers."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from tests.conftest import Api, client_for, login
from tests.support.suppliers import PASSWORD, credit_code

ERRORS = "errors { code message field }"
SUPPLIER_FIELDS = "id code nameZh nameEn qualificationStatus categories creditCode contactEmail qualifiedAt " \
                  "suspendedAt suspensionReason"
INVITE = f"""
mutation($input: InviteSupplierInput!, $key: String) {{
  inviteSupplier(input: $input, idempotencyKey: $key) {{
    supplier {{ {SUPPLIER_FIELDS} }} admin {{ id email displayName roles }} activationLink activationExpiresAt
    {ERRORS}
  }}
}}"""
ACTIVATE = f"""
mutation($token: String!, $password: String!) {{
  activateAccount(token: $token, password: $password) {{ ok email {ERRORS} }}
}}"""


def invitation_input(**changes: Any) -> dict[str, Any]:
    """The GraphQL input of an invitation nobody used yet."""
    tag = uuid.uuid4().hex[:8].upper()
    return {"code": f"G-{tag}", "nameZh": "图测供应商有限公司", "nameEn": "GraphQL Test Supplier Ltd.",
            "creditCode": credit_code(), "categories": ["FASTENERS"],
            "adminEmail": f"admin-{tag.lower()}@graphql-supplier.example", "adminName": "测试 Admin", **changes}


def token_of(link: str) -> str:
    return parse_qs(urlparse(link).query)["token"][0]


async def mutate(api: Api, query: str, variables: dict[str, Any], token: str | None, name: str) -> dict[str, Any]:
    """The payload of mutation `name`, which must have been answered (possibly with errors as data)."""
    return (await api.query(query, variables, token))[name]


@dataclass
class Invited:
    """A supplier invited through the API: its id, its admin's e-mail, and the admin's activation token."""

    id: str
    code: str
    admin_email: str
    token: str


@pytest.fixture
async def staff_token(token_for) -> str:  # noqa: ANN001
    return await token_for("procurement@buyer.example")


@pytest.fixture
def invite(api: Api, staff_token: str):  # noqa: ANN201
    async def invite_one(**changes: Any) -> Invited:
        payload = await mutate(api, INVITE, {"input": invitation_input(**changes)}, staff_token, "inviteSupplier")
        assert payload["errors"] == [], payload
        return Invited(payload["supplier"]["id"], payload["supplier"]["code"], payload["admin"]["email"],
                       token_of(payload["activationLink"]))

    return invite_one


@pytest.fixture
def supplier_admin_token(api: Api):  # noqa: ANN201
    """The session token of an invited supplier's admin, after activating the account through the API."""

    async def activated(invited: Invited) -> str:
        payload = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
        assert payload["ok"], payload
        return await login(api, invited.admin_email, PASSWORD)

    return activated


@pytest.fixture
async def signing_api(settings, demo, service) -> AsyncIterator[Api]:  # noqa: ANN001
    """A client of an app that can sign (qualifying a supplier issues its signing key)."""
    with client_for(settings, service=service, address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as client:
        async with client.client:
            yield client
