"""`activateAccount` over GraphQL, anonymous like `login`: invite, activate, log in, and the link works once."""

from __future__ import annotations

import uuid
from dataclasses import replace

import pytest

from tests.conftest import Api, client_for, login
from tests.schema.parties.conftest import ACTIVATE, mutate
from tests.support.suppliers import PASSWORD

pytestmark = pytest.mark.usefixtures("demo")

VIEWER = "{ viewer { email roles organization { code qualificationStatus } } }"


async def test_invite_activate_log_in_and_the_link_is_spent(api: Api, invite) -> None:  # noqa: ANN001
    invited = await invite()
    payload = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    assert payload == {"ok": True, "email": invited.admin_email, "errors": []}
    token = await login(api, invited.admin_email, PASSWORD)
    viewer = (await api.query(VIEWER, token=token))["viewer"]
    assert viewer["roles"] == ["SUPPLIER_ADMIN"]
    assert viewer["organization"] == {"code": invited.code, "qualificationStatus": "APPLIED"}
    again = await mutate(api, ACTIVATE, {"token": invited.token, "password": "a different password"}, None,
                         "activateAccount")
    assert again["ok"] is False and again["email"] is None
    assert [(e["code"], e["field"]) for e in again["errors"]] == [("INVALID_ACTIVATION_TOKEN", "token")]
    await login(api, invited.admin_email, PASSWORD)  # the password did not change


async def test_an_unknown_link_and_a_spent_one_get_the_same_answer(api: Api, invite) -> None:  # noqa: ANN001
    invited = await invite()
    await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    spent = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    unknown = await mutate(api, ACTIVATE, {"token": "pac_" + uuid.uuid4().hex, "password": PASSWORD}, None,
                           "activateAccount")
    assert spent == unknown


async def test_a_too_short_password_is_refused_and_the_link_still_works(api: Api, invite) -> None:  # noqa: ANN001
    invited = await invite()
    payload = await mutate(api, ACTIVATE, {"token": invited.token, "password": "short"}, None, "activateAccount")
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID", "password")]
    payload = await mutate(api, ACTIVATE, {"token": invited.token, "password": PASSWORD}, None, "activateAccount")
    assert payload["ok"]


async def test_guessing_links_is_rate_limited_per_address(settings, invite) -> None:  # noqa: ANN001
    invited = await invite()
    strict = replace(settings, login_failures_per_address=2)
    with client_for(strict, address=f"203.0.113.{uuid.uuid4().int % 250 + 1}") as guesser:
        async with guesser.client:
            codes = []
            for token in ("pac_guess-1", "pac_guess-2", invited.token):
                payload = await mutate(guesser, ACTIVATE, {"token": token, "password": PASSWORD}, None,
                                       "activateAccount")
                codes.append(payload["errors"][0]["code"])
    assert codes == ["INVALID_ACTIVATION_TOKEN", "INVALID_ACTIVATION_TOKEN", "TOO_MANY_ATTEMPTS"]
