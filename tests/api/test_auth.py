"""Authentication through the public HTTP interface: login, tokens, rate limits, expiry, logout and API tokens.

Every test that changes state (failed logins, logouts, deactivation, API tokens) does so with users it creates
itself and from client addresses of its own, so the demo world and the other tests are left as they were.
"""

from __future__ import annotations

import functools
import hashlib
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tortoise import Tortoise

from api.settings import Settings
from domain.clock import Clock, FrozenClock
from domain.enums import TokenKind
from domain.models import AuthToken, Organization, User
from tests.conftest import Api, client_for
from workflows.identity import hash_password

PASSWORD = "correct horse battery staple"
WRONG = "not the password at all"

LOGIN = """
mutation($e: String!, $p: String!) {
  login(email: $e, password: $p) { token expiresAt user { email } errors { code message field } }
}"""
VIEWER = "{ viewer { id email roles organization { code } } }"
LOGOUT = "mutation { logout { ok errors { code message field } } }"
CREATE_API_TOKEN = """
mutation($name: String!, $expiresAt: DateTime) {
  createApiToken(name: $name, expiresAt: $expiresAt) {
    token apiToken { id name createdAt expiresAt } errors { code message field }
  }
}"""
REVOKE_API_TOKEN = "mutation($id: ID!) { revokeApiToken(id: $id) { ok errors { code message field } } }"


# --- helpers ---------------------------------------------------------------------------------------------------------


def fresh_address() -> str:
    """A client address no other test uses (the `api` fixture draws from 198.51.100.0/24)."""
    value = uuid.uuid4().int
    return f"10.{value % 250 + 1}.{(value >> 8) % 250 + 1}.{(value >> 16) % 250 + 1}"


def fresh_email() -> str:
    return f"t-{uuid.uuid4().hex[:8]}@buyer.example"


@functools.cache
def password_hash() -> str:
    """One Argon2 hash of PASSWORD, shared by every user these tests create (hashing is slow on purpose)."""
    return hash_password(PASSWORD)


@dataclass
class Person:
    email: str
    user_id: uuid.UUID


async def new_user(roles: tuple[str, ...] = ("PROCUREMENT",)) -> Person:
    """A fresh, active buyer user with password PASSWORD."""
    buyer = await Organization.get(code="BUYER")
    email = fresh_email()
    user = await User.create(email=email, display_name="Test User", organization=buyer, roles=list(roles),
                             password_hash=password_hash())
    return Person(email=email, user_id=user.id)


@asynccontextmanager
async def caller(settings: Settings, *, clock: Clock | None = None, address: str | None = None
                 ) -> AsyncIterator[Api]:
    """A client of a fresh app, at an address of its own unless told otherwise."""
    with client_for(settings, clock=clock, address=address or fresh_address()) as api:
        async with api.client:
            yield api


def payload(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of any response: never a stack trace, always JSON."""
    assert "Traceback" not in response.text, response.text
    assert response.headers["content-type"].startswith("application/json"), response.headers
    return response.json()


async def attempt(api: Api, email: str, password: str, **kwargs: Any) -> dict[str, Any]:
    """The `login` payload of one attempt."""
    response = await api.post(LOGIN, {"e": email, "p": password}, **kwargs)
    body = payload(response)
    assert response.status_code == 200 and "errors" not in body, body
    return body["data"]["login"]


async def logged_in(api: Api, email: str, password: str = PASSWORD) -> str:
    result = await attempt(api, email, password)
    assert result["token"] and result["errors"] == [], result
    return result["token"]


async def viewer(api: Api, token: str) -> httpx.Response:
    return await api.post(VIEWER, token=token)


def assert_unauthenticated_401(response: httpx.Response) -> None:
    body = payload(response)
    assert response.status_code == 401, body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"], body
    assert "data" not in body, body
    assert response.headers["www-authenticate"].startswith("Bearer"), response.headers


async def assert_refused(api: Api, email: str, password: str, code: str) -> None:
    result = await attempt(api, email, password)
    assert result["token"] is None, result
    assert [error["code"] for error in result["errors"]] == [code], result


async def tokens_of(person: Person, kind: TokenKind | None = None) -> list[AuthToken]:
    query = AuthToken.filter(user_id=person.user_id)
    return await (query.filter(kind=kind) if kind is not None else query)


@pytest.fixture(scope="module")
async def member(settings: Settings, demo: Any) -> AsyncIterator[tuple[Person, str]]:
    """A buyer user of this module with a session token, for tests that only add API tokens."""
    person = await new_user()
    async with caller(settings) as api:
        yield person, await logged_in(api, person.email)


# --- login -----------------------------------------------------------------------------------------------------------


async def test_login_returns_an_opaque_ptk_token(api: Api) -> None:
    person = await new_user()
    result = await attempt(api, person.email, PASSWORD)
    token = result["token"]
    assert token.startswith("ptk_") and len(token) >= 40, token
    assert result["user"] == {"email": person.email} and result["errors"] == []


async def test_only_the_sha256_of_a_token_is_stored(api: Api) -> None:
    person = await new_user()
    token = await logged_in(api, person.email)
    [row] = await tokens_of(person)
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.kind == TokenKind.SESSION
    for model in Tortoise.apps["models"].values():  # the secret is nowhere in the database, in no table
        assert token not in str(await model.all().values()), model.__name__
        assert token[len("ptk_"):] not in str(await model.all().values()), model.__name__


async def test_viewer_with_a_token_is_the_logged_in_user(api: Api, token_for) -> None:
    token = await token_for("procurement@buyer.example")
    response = await viewer(api, token)
    me = payload(response)["data"]["viewer"]
    assert response.status_code == 200
    assert me["email"] == "procurement@buyer.example"
    assert me["roles"] == ["PROCUREMENT"] and me["organization"]["code"] == "BUYER"


async def test_login_email_is_case_insensitive(api: Api) -> None:
    person = await new_user()
    assert (await attempt(api, f"  {person.email.upper()} ", PASSWORD))["token"]


async def test_wrong_password_and_unknown_email_get_identical_answers(api: Api) -> None:
    person = await new_user()
    wrong_password = await api.post(LOGIN, {"e": person.email, "p": WRONG})
    unknown_email = await api.post(LOGIN, {"e": fresh_email(), "p": WRONG})
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert payload(wrong_password) == payload(unknown_email)
    assert payload(wrong_password)["data"]["login"] == {
        "token": None, "expiresAt": None, "user": None,
        "errors": [{"code": "AUTHENTICATION_FAILED", "message": "wrong e-mail or password", "field": None}],
    }
    assert await tokens_of(person) == []


async def test_overlong_credentials_are_an_ordinary_failure(api: Api) -> None:
    person = await new_user()
    for email, password in ((person.email, "x" * 5000), ("x" * 5000 + "@buyer.example", PASSWORD)):
        await assert_refused(api, email, password, "AUTHENTICATION_FAILED")


# --- anonymous callers -----------------------------------------------------------------------------------------------


async def test_anonymous_viewer_is_null(api: Api) -> None:
    response = await api.post(VIEWER)
    assert response.status_code == 200
    assert payload(response) == {"data": {"viewer": None}}


@pytest.mark.parametrize("query", [
    "{ purchaseOrders { edges { node { id } } } }",
    "{ suppliers { edges { node { id } } } }",
    "{ goodsReceipts { totalCount } }",
    '{ purchaseOrder(id: "01a20838-ce33-7008-8935-7fca286cccdb") { id } }',
])
async def test_anonymous_callers_are_refused_named_query_fields(api: Api, query: str) -> None:
    response = await api.post(query)
    body = payload(response)
    assert response.status_code == 200
    assert body["data"] is None or all(value is None for value in body["data"].values()), body
    assert [error["extensions"]["code"] for error in body["errors"]] == ["UNAUTHENTICATED"], body


TYPE_REF = "kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } }"
INTROSPECTION = f"""{{ __schema {{
  queryType {{ name }} mutationType {{ name }}
  types {{
    kind name enumValues {{ name }}
    inputFields {{ name defaultValue type {{ {TYPE_REF} }} }}
    fields {{ name args {{ name defaultValue type {{ {TYPE_REF} }} }} type {{ {TYPE_REF} }} }}
  }}
}} }}"""
SCALAR_EXAMPLES = {"ID": json.dumps(str(uuid.uuid4())), "String": '"x"', "Int": "1", "Float": "1.0",
                   "Boolean": "false", "DateTime": '"2030-01-02T03:04:05+00:00"', "Date": '"2030-01-02"',
                   "Decimal": '"1"', "JSON": "{}"}


class Unbuildable(Exception):
    """An argument of a type these tests cannot write as a literal (an upload, say)."""


def literal(type_ref: dict, types: dict[str, dict]) -> str:
    """A valid GraphQL literal of `type_ref`, filling required input fields only."""
    if type_ref["kind"] == "NON_NULL":
        return literal(type_ref["ofType"], types)
    if type_ref["kind"] == "LIST":
        return f"[{literal(type_ref['ofType'], types)}]"
    named = types[type_ref["name"]]
    if named["kind"] == "ENUM":
        return named["enumValues"][0]["name"]
    if named["kind"] == "INPUT_OBJECT":
        required = [f for f in named["inputFields"] if f["type"]["kind"] == "NON_NULL" and f["defaultValue"] is None]
        return "{" + ", ".join(f"{f['name']}: {literal(f['type'], types)}" for f in required) + "}"
    if named["name"] in SCALAR_EXAMPLES:
        return SCALAR_EXAMPLES[named["name"]]
    raise Unbuildable(named["name"])


def minimal_operation(operation: str, field: dict, types: dict[str, dict]) -> str:
    """`operation { field(required arguments) { __typename } }`."""
    required = [a for a in field["args"] if a["type"]["kind"] == "NON_NULL" and a["defaultValue"] is None]
    arguments = ", ".join(f"{a['name']}: {literal(a['type'], types)}" for a in required)
    type_ref = field["type"]
    while type_ref["ofType"] is not None:
        type_ref = type_ref["ofType"]
    selection = " { __typename }" if types[type_ref["name"]]["kind"] in ("OBJECT", "INTERFACE", "UNION") else ""
    return f"{operation} {{ {field['name']}{f'({arguments})' if arguments else ''}{selection} }}"


async def every_root_field(api: Api) -> list[tuple[str, dict, dict[str, dict]]]:
    schema = (await api.query(INTROSPECTION))["__schema"]
    types = {t["name"]: t for t in schema["types"]}
    return [(operation, field, types)
            for operation, root in (("query", schema["queryType"]), ("mutation", schema["mutationType"]))
            for field in types[root["name"]]["fields"]]


async def test_anonymous_callers_are_refused_every_field_but_viewer_and_login(api: Api) -> None:
    """Guards fields added later too: every root field of the schema is tried without a token."""
    tried = set()
    for operation, field, types in await every_root_field(api):
        if field["name"] in ("viewer", "login", "activateAccount"):  # the anonymous entry points
            continue
        try:
            document = minimal_operation(operation, field, types)
        except Unbuildable:
            continue
        response = await api.post(document)
        body = payload(response)
        assert response.status_code == 200, (document, body)
        assert body.get("data") is None or body["data"][field["name"]] is None, (document, body)
        assert [e.get("extensions", {}).get("code") for e in body.get("errors", [])] == ["UNAUTHENTICATED"], \
            (document, body)
        tried.add(field["name"])
    assert {"purchaseOrders", "purchaseOrder", "suppliers", "supplier", "goodsReceipts", "logout",
            "createApiToken", "revokeApiToken"} <= tried


async def test_anonymous_mutation_changes_nothing(api: Api, member: tuple[Person, str]) -> None:
    person, _ = member
    before = len(await tokens_of(person))
    response = await api.post(CREATE_API_TOKEN, {"name": "anonymous attempt"})
    assert payload(response)["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert len(await tokens_of(person)) == before
    assert not await AuthToken.filter(name="anonymous attempt").exists()


# --- rate limits -----------------------------------------------------------------------------------------------------


async def test_sixth_attempt_on_an_account_is_refused_even_with_the_right_password(settings: Settings) -> None:
    person = await new_user()
    async with caller(settings) as api:
        for _ in range(5):
            await assert_refused(api, person.email, WRONG, "AUTHENTICATION_FAILED")
        await assert_refused(api, person.email, PASSWORD, "TOO_MANY_ATTEMPTS")
    assert await tokens_of(person) == []


async def test_account_limit_holds_across_addresses_and_spellings_of_the_email(settings: Settings) -> None:
    person = await new_user()
    local, domain = person.email.split("@")
    spellings = [person.email, person.email.upper(), f" {person.email}", f"{local.upper()}@{domain}",
                 f"{person.email} "]
    for spelling in spellings:
        async with caller(settings) as api:
            await assert_refused(api, spelling, WRONG, "AUTHENTICATION_FAILED")
    async with caller(settings) as api:
        await assert_refused(api, person.email, PASSWORD, "TOO_MANY_ATTEMPTS")


async def test_account_limit_lifts_when_the_window_has_passed(settings: Settings) -> None:
    person = await new_user()
    clock = FrozenClock(datetime.now(UTC))
    async with caller(settings, clock=clock) as api:
        for _ in range(5):
            await assert_refused(api, person.email, WRONG, "AUTHENTICATION_FAILED")
        clock.advance(timedelta(minutes=14))
        await assert_refused(api, person.email, PASSWORD, "TOO_MANY_ATTEMPTS")
        clock.advance(timedelta(minutes=1, seconds=1))
        assert (await attempt(api, person.email, PASSWORD))["token"]


async def test_successful_login_clears_the_accounts_failure_count(settings: Settings) -> None:
    person = await new_user()
    async with caller(settings) as api:
        for _ in range(4):
            await assert_refused(api, person.email, WRONG, "AUTHENTICATION_FAILED")
        assert (await attempt(api, person.email, PASSWORD))["token"]
        for _ in range(4):  # 8 failures in the window, but only 4 since the last success
            await assert_refused(api, person.email, WRONG, "AUTHENTICATION_FAILED")
        assert (await attempt(api, person.email, PASSWORD))["token"]


async def test_thirty_failures_from_one_address_lock_that_address_only(settings: Settings) -> None:
    person = await new_user()
    address = fresh_address()
    async with caller(settings, address=address) as api:
        for _ in range(30):  # over many e-mails: each account stays under its own limit
            await assert_refused(api, fresh_email(), WRONG, "AUTHENTICATION_FAILED")
        await assert_refused(api, person.email, PASSWORD, "TOO_MANY_ATTEMPTS")
    async with caller(settings) as elsewhere:
        assert (await attempt(elsewhere, person.email, PASSWORD))["token"]


async def test_address_limit_ignores_forwarded_for_headers(settings: Settings) -> None:
    strict = replace(settings, login_failures_per_address=3)
    person = await new_user()
    async with caller(strict) as api:
        for n in range(3):  # a client may not choose the address it is counted under
            response = await api.post(LOGIN, {"e": fresh_email(), "p": WRONG},
                                      headers={"X-Forwarded-For": f"192.0.2.{n + 1}", "X-Real-IP": f"192.0.2.{n + 1}"})
            assert payload(response)["data"]["login"]["errors"][0]["code"] == "AUTHENTICATION_FAILED"
        await assert_refused(api, person.email, PASSWORD, "TOO_MANY_ATTEMPTS")


async def test_a_success_does_not_reset_the_address_count(settings: Settings) -> None:
    strict = replace(settings, login_failures_per_address=3)
    attacker, victim = await new_user(), await new_user()
    async with caller(strict) as api:
        for _ in range(2):
            await assert_refused(api, fresh_email(), WRONG, "AUTHENTICATION_FAILED")
        assert (await attempt(api, attacker.email, PASSWORD))["token"]  # the attacker's own account
        await assert_refused(api, fresh_email(), WRONG, "AUTHENTICATION_FAILED")
        await assert_refused(api, victim.email, PASSWORD, "TOO_MANY_ATTEMPTS")


# --- expiry ----------------------------------------------------------------------------------------------------------


async def test_session_token_expires_after_the_session_hours(settings: Settings) -> None:
    person = await new_user()
    start = datetime.now(UTC).replace(microsecond=0)
    clock = FrozenClock(start)
    async with caller(settings, clock=clock) as api:
        result = await attempt(api, person.email, PASSWORD)
        token = result["token"]
        assert datetime.fromisoformat(result["expiresAt"]) == start + timedelta(hours=settings.session_hours)
        clock.advance(timedelta(hours=settings.session_hours, minutes=-1))
        assert (await viewer(api, token)).status_code == 200
        clock.advance(timedelta(minutes=1))
        assert_unauthenticated_401(await viewer(api, token))


# --- logout ----------------------------------------------------------------------------------------------------------


async def test_logout_revokes_the_token(api: Api) -> None:
    person = await new_user()
    token = await logged_in(api, person.email)
    assert (await api.query(LOGOUT, token=token))["logout"] == {"ok": True, "errors": []}
    assert_unauthenticated_401(await viewer(api, token))
    [row] = await tokens_of(person)
    assert row.revoked_at is not None


async def test_logout_leaves_the_users_other_sessions_alone(api: Api) -> None:
    person = await new_user()
    first, second = await logged_in(api, person.email), await logged_in(api, person.email)
    await api.query(LOGOUT, token=first)
    assert payload(await viewer(api, second))["data"]["viewer"]["email"] == person.email


async def test_logging_out_twice_is_harmless(api: Api) -> None:
    person = await new_user()
    token = await logged_in(api, person.email)
    await api.query(LOGOUT, token=token)
    [before] = await tokens_of(person)
    assert_unauthenticated_401(await api.post(LOGOUT, token=token))
    [after] = await tokens_of(person)
    assert after.revoked_at == before.revoked_at


# --- malformed credentials -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [
    "Basic x",
    "Basic ZGVtbzpkZW1vLXBhc3N3b3Jk",
    "Bearer",
    "Bearer ",
    "Bearer     ",
    "Token ptk_abc",
    "ptk_abc",
    "Bearer ptk_" + "A" * 43,
    "Bearer ptk_",
    "Bearer not-a-portal-token",
    "Bearer ptk_" + "a" * 5000,
    "Bearer " + "x" * 5000,
    "Bearer ptk_a b c",
    b"Bearer ptk_\xe9\xff",
])
async def test_malformed_authorization_header_is_a_401_json_answer(api: Api, header: str | bytes) -> None:
    response = await api.client.post("/graphql", json={"query": VIEWER}, headers={"Authorization": header})
    assert_unauthenticated_401(response)


async def test_a_valid_token_with_anything_appended_is_refused(api: Api, token_for) -> None:
    token = await token_for("auditor@buyer.example")
    for forged in (token + "x", token[:-1], token.upper()):
        assert_unauthenticated_401(await viewer(api, forged))


# --- API tokens ------------------------------------------------------------------------------------------------------


async def test_api_token_can_be_created_and_used(api: Api, member: tuple[Person, str]) -> None:
    person, session = member
    name = f"ERP sync {uuid.uuid4().hex[:6]}"
    result = (await api.query(CREATE_API_TOKEN, {"name": name}, token=session))["createApiToken"]
    assert result["errors"] == [] and result["token"].startswith("ptk_")
    assert result["apiToken"]["name"] == name and result["apiToken"]["expiresAt"] is None
    assert payload(await viewer(api, result["token"]))["data"]["viewer"]["email"] == person.email
    row = await AuthToken.get(id=result["apiToken"]["id"])
    assert row.kind == TokenKind.API and row.user_id == person.user_id
    assert row.token_hash == hashlib.sha256(result["token"].encode()).hexdigest()


@pytest.mark.parametrize(("name", "expires_at", "field"), [
    ("", None, "name"),
    ("   ", None, "name"),
    ("x" * 101, None, "name"),
    ("expired", "2020-01-01T00:00:00+00:00", "expiresAt"),
    pytest.param("expires now-ish", (datetime.now(UTC) - timedelta(seconds=1)).isoformat(), "expiresAt",
                 id="expires now-ish"),  # an id of its own: pytest-xdist's processes must collect the same names
])
async def test_api_token_input_is_validated(api: Api, member: tuple[Person, str], name: str,
                                            expires_at: str | None, field: str) -> None:
    person, session = member
    before = len(await tokens_of(person))
    result = (await api.query(CREATE_API_TOKEN, {"name": name, "expiresAt": expires_at}, token=session)
              )["createApiToken"]
    assert result["token"] is None and result["apiToken"] is None
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID", field)], result
    assert len(await tokens_of(person)) == before


async def test_api_token_name_of_100_characters_is_accepted(api: Api, member: tuple[Person, str]) -> None:
    _, session = member
    name = uuid.uuid4().hex + "n" * 68
    result = (await api.query(CREATE_API_TOKEN, {"name": name}, token=session))["createApiToken"]
    assert result["errors"] == [] and result["apiToken"]["name"] == name


async def test_api_token_expiry_without_time_zone_is_a_validation_error(api: Api, member: tuple[Person, str]) -> None:
    """A naive `expiresAt` is bad input, to be answered as such (today it is an internal error)."""
    person, session = member
    before = len(await tokens_of(person))
    response = await api.post(CREATE_API_TOKEN, {"name": "naive", "expiresAt": "2099-01-01T00:00:00"}, token=session)
    body = payload(response)
    assert "errors" not in body, body
    result = body["data"]["createApiToken"]
    assert [(e["code"], e["field"]) for e in result["errors"]] == [("INVALID", "expiresAt")], result
    assert len(await tokens_of(person)) == before


async def test_api_token_stops_working_at_its_expiry(settings: Settings, member: tuple[Person, str]) -> None:
    _, session = member
    start = datetime.now(UTC).replace(microsecond=0)
    clock = FrozenClock(start)
    async with caller(settings, clock=clock) as api:
        expiry = (start + timedelta(hours=1)).isoformat()
        token = (await api.query(CREATE_API_TOKEN, {"name": "short-lived", "expiresAt": expiry}, token=session)
                 )["createApiToken"]["token"]
        clock.advance(timedelta(minutes=59))
        assert (await viewer(api, token)).status_code == 200
        clock.advance(timedelta(minutes=1))
        assert_unauthenticated_401(await viewer(api, token))


async def test_revoked_api_token_is_refused(api: Api, member: tuple[Person, str]) -> None:
    _, session = member
    created = (await api.query(CREATE_API_TOKEN, {"name": "to revoke"}, token=session))["createApiToken"]
    revoked = (await api.query(REVOKE_API_TOKEN, {"id": created["apiToken"]["id"]}, token=session))["revokeApiToken"]
    assert revoked == {"ok": True, "errors": []}
    assert_unauthenticated_401(await viewer(api, created["token"]))
    assert payload(await viewer(api, session))["data"]["viewer"] is not None  # the session is untouched


async def test_revoking_an_api_token_twice_is_refused_harmlessly(api: Api, member: tuple[Person, str]) -> None:
    _, session = member
    created = (await api.query(CREATE_API_TOKEN, {"name": "revoke twice"}, token=session))["createApiToken"]
    token_id = created["apiToken"]["id"]
    await api.query(REVOKE_API_TOKEN, {"id": token_id}, token=session)
    before = (await AuthToken.get(id=token_id)).revoked_at
    again = (await api.query(REVOKE_API_TOKEN, {"id": token_id}, token=session))["revokeApiToken"]
    assert again["ok"] is False and [e["code"] for e in again["errors"]] == ["ILLEGAL_TRANSITION"]
    assert (await AuthToken.get(id=token_id)).revoked_at == before


async def test_a_user_cannot_revoke_another_users_api_token(api: Api, member: tuple[Person, str], token_for) -> None:
    _, session = member
    created = (await api.query(CREATE_API_TOKEN, {"name": "not yours"}, token=session))["createApiToken"]
    for intruder in ("sales@supplier-a.example", "procurement@buyer.example"):
        other = await token_for(intruder)
        refused = (await api.query(REVOKE_API_TOKEN, {"id": created["apiToken"]["id"]}, token=other))["revokeApiToken"]
        unknown = (await api.query(REVOKE_API_TOKEN, {"id": str(uuid.uuid4())}, token=other))["revokeApiToken"]
        assert refused == unknown  # indistinguishable from a token that does not exist
        assert refused["ok"] is False
        assert [(e["code"], e["field"]) for e in refused["errors"]] == [("NOT_FOUND", "id")]
    assert (await AuthToken.get(id=created["apiToken"]["id"])).revoked_at is None
    assert (await viewer(api, created["token"])).status_code == 200


async def test_an_admin_may_revoke_any_api_token(api: Api, member: tuple[Person, str], token_for) -> None:
    _, session = member
    created = (await api.query(CREATE_API_TOKEN, {"name": "admin revokes"}, token=session))["createApiToken"]
    admin = await token_for("admin@buyer.example")
    revoked = (await api.query(REVOKE_API_TOKEN, {"id": created["apiToken"]["id"]}, token=admin))["revokeApiToken"]
    assert revoked == {"ok": True, "errors": []}
    assert_unauthenticated_401(await viewer(api, created["token"]))


async def test_revoking_a_malformed_id_names_the_argument(api: Api, member: tuple[Person, str]) -> None:
    _, session = member
    body = payload(await api.post(REVOKE_API_TOKEN, {"id": "nope"}, token=session))
    assert body["data"] is None and "`id`" in body["errors"][0]["message"], body


# --- inactive users --------------------------------------------------------------------------------------------------


async def test_inactive_user_cannot_log_in(api: Api) -> None:
    person = await new_user()
    await User.filter(id=person.user_id).update(is_active=False)
    inactive = await api.post(LOGIN, {"e": person.email, "p": PASSWORD})
    wrong = await api.post(LOGIN, {"e": fresh_email(), "p": WRONG})
    assert payload(inactive) == payload(wrong)  # says no more than a wrong password
    assert await tokens_of(person) == []


async def test_inactive_users_existing_tokens_stop_working(api: Api) -> None:
    person = await new_user()
    session = await logged_in(api, person.email)
    integration = (await api.query(CREATE_API_TOKEN, {"name": "integration"}, token=session))["createApiToken"]
    await User.filter(id=person.user_id).update(is_active=False)
    assert_unauthenticated_401(await viewer(api, session))
    assert_unauthenticated_401(await viewer(api, integration["token"]))


# --- never a stack trace ---------------------------------------------------------------------------------------------


async def test_no_answer_about_credentials_contains_a_traceback(api: Api) -> None:
    odd = [
        {"e": "", "p": ""},
        {"e": "' OR 1=1 --", "p": "' OR 1=1 --"},
        {"e": "a@b" * 200, "p": secrets.token_hex(8)},
        {"e": "零@例子.中国", "p": "密码密码密码密码密码"},
    ]
    for variables in odd:
        response = await api.post(LOGIN, variables)
        assert response.status_code == 200 and "Traceback" not in response.text, response.text
        assert payload(response)["data"]["login"]["token"] is None


async def test_login_with_a_nul_byte_is_refused_alike_for_any_email(api: Api) -> None:
    """A NUL is refused at the door (PostgreSQL text cannot hold one) with one answer, whether the e-mail exists."""
    answers = []
    for variables in ({"e": "\u0000", "p": WRONG}, {"e": "procurement@buyer.example\u0000", "p": WRONG}):
        response = await api.post(LOGIN, variables)
        answers.append((response.status_code, payload(response)))
    assert answers[0] == answers[1]
    status, body = answers[0]
    assert status == 400 and body["errors"][0]["extensions"]["code"] == "BAD_REQUEST", body