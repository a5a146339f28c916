"""`inviteUser`, `deactivateUser` and `users` over GraphQL: an admin manages the people of their own organisation;
another organisation's users cannot be named, listed or deactivated."""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import Api
from tests.schema.parties.conftest import ACTIVATE, ERRORS, mutate, token_of
from tests.support.suppliers import PASSWORD

pytestmark = pytest.mark.usefixtures("demo")

USER_FIELDS = "id email displayName roles active activated organization { code }"
INVITE_USER = f"""
mutation($input: InviteUserInput!, $key: String) {{
  inviteUser(input: $input, idempotencyKey: $key) {{
    user {{ {USER_FIELDS} }} activationLink activationExpiresAt {ERRORS}
  }}
}}"""
DEACTIVATE_USER = f"""
mutation($id: ID!) {{ deactivateUser(id: $id) {{ user {{ {USER_FIELDS} }} {ERRORS} }} }}"""
USERS = "query($after: String) { users(first: 100, after: $after) { totalCount edges { node { id email active } } } }"


def person(*roles: str, **changes: object) -> dict[str, object]:
    tag = uuid.uuid4().hex[:8]
    return {"email": f"graphql-person-{tag}@people.example", "displayName": f"刘洋 Liu Yang {tag}",
            "roles": list(roles), **changes}


async def test_an_invited_colleague_activates_and_is_deactivated(api: Api, token_for) -> None:  # noqa: ANN001
    admin = await token_for("admin@buyer.example")
    invited = await mutate(api, INVITE_USER, {"input": person("PROCUREMENT")}, admin, "inviteUser")
    assert invited["errors"] == [] and invited["activationLink"].startswith("http")
    user = invited["user"]
    assert (user["roles"], user["active"], user["activated"]) == (["PROCUREMENT"], True, False)
    assert user["organization"]["code"] == "BUYER"

    activated = await mutate(api, ACTIVATE, {"token": token_of(invited["activationLink"]), "password": PASSWORD},
                             None, "activateAccount")
    assert activated["ok"]
    listed = (await api.query(USERS, {}, admin))["users"]
    assert {"id": user["id"], "email": user["email"], "active": True} in [e["node"] for e in listed["edges"]]

    deactivated = await mutate(api, DEACTIVATE_USER, {"id": user["id"]}, admin, "deactivateUser")
    assert deactivated["errors"] == [] and deactivated["user"]["active"] is False
    assert deactivated["user"]["activated"] is True


async def test_refusals_name_the_field_and_reveal_no_other_organisation(api: Api, token_for) -> None:  # noqa: ANN001
    admin = await token_for("admin@buyer.example")
    supplier_admin = await token_for("sales@supplier-a.example")
    staff_user = (await mutate(api, INVITE_USER, {"input": person("ACCOUNTING")}, admin, "inviteUser"))["user"]
    invites = [
        (admin, person("SUPPLIER_USER"), ("INVALID", "roles")),
        (admin, person(), ("INVALID", "roles")),
        (admin, person("AUDITOR", email="nope"), ("INVALID", "email")),
        (admin, person("AUDITOR", managerId=str(uuid.uuid4())), ("NOT_FOUND", "managerId")),
        (supplier_admin, person("ADMIN"), ("INVALID", "roles")),
        (supplier_admin, person("SUPPLIER_USER", managerId=staff_user["id"]), ("NOT_FOUND", "managerId")),
        (await token_for("procurement@buyer.example"), person("PROCUREMENT"), ("PERMISSION_DENIED", None)),
    ]
    for token, request, refusal in invites:
        payload = await mutate(api, INVITE_USER, {"input": request}, token, "inviteUser")
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [refusal], request
        assert payload["user"] is None and payload["activationLink"] is None

    for token, user_id, refusal in [(supplier_admin, staff_user["id"], ("NOT_FOUND", "id")),
                                    (admin, str(uuid.uuid4()), ("NOT_FOUND", "id"))]:
        payload = await mutate(api, DEACTIVATE_USER, {"id": user_id}, token, "deactivateUser")
        assert [(e["code"], e["field"]) for e in payload["errors"]] == [refusal]
    supplier_view = [edge["node"]["email"] for edge in (await api.query(USERS, {}, supplier_admin))["users"]["edges"]]
    assert "sales@supplier-a.example" in supplier_view and staff_user["email"] not in supplier_view
    assert not [email for email in supplier_view if email.endswith("@buyer.example")]


async def test_anonymous_callers_cannot_invite(api: Api) -> None:
    answer = await api.post(INVITE_USER, {"input": person("ADMIN")})
    body = answer.json()
    assert (body.get("data") or {}).get("inviteUser") is None and body["errors"], body


SEND_LINK = f"""
mutation($id: ID!) {{ sendActivationLink(id: $id) {{ user {{ {USER_FIELDS} }} activationLink {ERRORS} }} }}"""
CHANGE_PASSWORD = f"""
mutation($current: String!, $new: String!) {{
  changePassword(currentPassword: $current, newPassword: $new) {{ ok {ERRORS} }}
}}"""
LOGIN = f"""
mutation($email: String!, $password: String!) {{ login(email: $email, password: $password) {{ token {ERRORS} }} }}"""


async def test_a_reset_link_then_a_password_change_over_graphql(api: Api, token_for) -> None:  # noqa: ANN001
    admin = await token_for("admin@buyer.example")
    invited = await mutate(api, INVITE_USER, {"input": person("AUDITOR")}, admin, "inviteUser")
    email = invited["user"]["email"]
    await mutate(api, ACTIVATE, {"token": token_of(invited["activationLink"]), "password": PASSWORD}, None,
                 "activateAccount")

    reset = await mutate(api, SEND_LINK, {"id": invited["user"]["id"]}, admin, "sendActivationLink")
    assert reset["errors"] == [] and reset["user"]["activated"] is False
    assert [e["code"] for e in (await mutate(api, LOGIN, {"email": email, "password": PASSWORD}, None,
                                             "login"))["errors"]] == ["AUTHENTICATION_FAILED"]
    await mutate(api, ACTIVATE, {"token": token_of(reset["activationLink"]), "password": "second password!"}, None,
                 "activateAccount")
    session = (await mutate(api, LOGIN, {"email": email, "password": "second password!"}, None, "login"))["token"]

    wrong = await mutate(api, CHANGE_PASSWORD, {"current": "not it at all", "new": "third password!"}, session,
                         "changePassword")
    assert wrong["ok"] is False and [(e["code"], e["field"]) for e in wrong["errors"]] == [
        ("WRONG_PASSWORD", "currentPassword")]
    changed = await mutate(api, CHANGE_PASSWORD, {"current": "second password!", "new": "third password!"}, session,
                           "changePassword")
    assert changed == {"ok": True, "errors": []}
    assert (await api.query("{ viewer { email } }", None, session))["viewer"]["email"] == email  # still signed in

    supplier_admin = await token_for("sales@supplier-a.example")
    foreign = await mutate(api, SEND_LINK, {"id": invited["user"]["id"]}, supplier_admin, "sendActivationLink")
    assert [(e["code"], e["field"]) for e in foreign["errors"]] == [("NOT_FOUND", "id")]
    assert foreign["activationLink"] is None
