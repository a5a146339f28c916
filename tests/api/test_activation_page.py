"""`/activate`, the page an activation link opens: set a first password once, with the same checks as
`activateAccount`, and nothing that would carry the token elsewhere (no cache, no Referer, no framing)."""

from __future__ import annotations

import html
import re

import pytest

from domain.clock import SystemClock
from tests.conftest import Api, login
from tests.support.suppliers import PASSWORD, actor_of, invitation
from workflows import suppliers

pytestmark = pytest.mark.usefixtures("demo")


async def invited() -> tuple[str, str]:
    """A new supplier admin's e-mail and activation token."""
    done = await suppliers.invite_supplier(await actor_of("admin@buyer.example"), invitation(), clock=SystemClock())
    return done.admin.email, done.activation_secret


def activate(api: Api, token: str, password: str, again: str | None = None):  # noqa: ANN201 - an awaitable response
    return api.client.post("/activate", data={"token": token, "password": password,
                                              "password_again": password if again is None else again})


async def test_the_link_opens_a_form_that_sets_the_password_once(api: Api) -> None:
    email, token = await invited()

    form = await api.client.get("/activate", params={"token": token})

    assert form.status_code == 200
    assert f'name="token" value="{token}"' in form.text and 'type="password"' in form.text
    for header, value in (("cache-control", "no-store"), ("referrer-policy", "no-referrer"),
                          ("x-frame-options", "DENY")):
        assert form.headers[header] == value
    done = await activate(api, token, PASSWORD)
    assert done.status_code == 200 and "Your account is active" in done.text and email in done.text
    await login(api, email, PASSWORD)
    spent = await activate(api, token, "another long password")
    assert spent.status_code == 400 and "invalid, expired or already used" in spent.text
    assert 'name="token"' not in spent.text  # no form for a spent link
    await login(api, email, PASSWORD)  # the password did not change


@pytest.mark.parametrize(("password", "again", "message"), [
    ("short", None, "10 to 1024 characters"),
    (PASSWORD, PASSWORD + "!", "the two passwords differ"),
    ("x" * 1025, None, "at most 1024 characters"),
])
async def test_a_refused_password_keeps_the_link_usable(api: Api, password: str, again: str | None,
                                                        message: str) -> None:
    email, token = await invited()

    refused = await activate(api, token, password, again)

    assert refused.status_code == 400 and message in html.unescape(refused.text)
    assert f'name="token" value="{token}"' in refused.text  # the form again, to try another password
    assert (await activate(api, token, PASSWORD)).status_code == 200
    await login(api, email, PASSWORD)


async def test_a_page_without_a_token_or_with_a_forged_one_explains_and_sets_nothing(api: Api) -> None:
    bare = await api.client.get("/activate")
    assert bare.status_code == 400 and "activate?token=" in bare.text
    forged = await activate(api, "pac_" + "A" * 43, PASSWORD)
    assert forged.status_code == 400 and "invalid, expired or already used" in forged.text
    hostile = await api.client.get("/activate", params={"token": '"><script>alert(1)</script>'})
    assert "<script>" not in hostile.text and re.search(r'value="&#34;&gt;&lt;script&gt;', hostile.text)
