"""`/activate`: the page an activation link opens, where an invited user (a supplier's admin, the portal's first
admin after `portal setup`) sets a first password. No login; the link's token is the credential.

The page is the HTML face of `workflows.activation.activate_account`, which `activateAccount` serves over GraphQL: same
checks, same answers (an unknown, expired and used link look alike), same rate limit per address. Its responses are
never cached, never framed, and send no Referer, and the server's access log redacts the token (`api.access_log`), so
the token in the address goes nowhere else.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from api.auth import client_address
from api.pages import PAGES
from domain.clock import Clock
from domain.errors import DomainError, RateLimited
from workflows.activation import MAX_SECRET_LENGTH, activate_account
from workflows.identity import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, LoginPolicy

HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY",
           "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'"}


class AccountRoutes:
    def __init__(self, clock: Clock, login_policy: LoginPolicy) -> None:
        self.clock = clock
        self.login_policy = login_policy

    async def activate_page(self, request: Request) -> Response:
        """GET: the form (the token from `?token=` in a hidden field); POST: set the password, or say what was wrong."""
        if request.method == "GET":
            token = request.query_params.get("token", "")[:MAX_SECRET_LENGTH]
            if not token:
                return self._page({"error": "this page needs the link from your invitation (…/activate?token=…)"},
                                  400)
            return self._page({"token": token})
        try:
            form = await request.form(max_files=0, max_fields=3, max_part_size=4096)
        except Exception:  # noqa: BLE001 - python-multipart raises several kinds for a malformed body
            return self._page({"error": "the form could not be read; open the link again"}, 400)
        token = str(form.get("token", ""))[:MAX_SECRET_LENGTH]
        password, again = str(form.get("password", "")), str(form.get("password_again", ""))
        if len(password) > MAX_PASSWORD_LENGTH:  # before comparing or hashing anything that long
            return self._page({"token": token, "error": f"a password has at most {MAX_PASSWORD_LENGTH} characters"},
                              400)
        if password != again:
            return self._page({"token": token, "error": "the two passwords differ; type the same one twice"}, 400)
        try:
            user = await activate_account(token, password, address=client_address(request), clock=self.clock,
                                          policy=self.login_policy)
        except RateLimited as error:
            return self._page({"error": error.message}, 429)
        except DomainError as error:
            # A refused password leaves the link usable: show the form again. A bad link does not.
            keep = token if error.field == "password" else None
            return self._page({"token": keep, "error": error.message}, 400)
        return self._page({"activated": user.email})

    @staticmethod
    def _page(context: dict, status: int = 200) -> Response:
        page = PAGES.get_template("activate.html").render({"min_length": MIN_PASSWORD_LENGTH, **context})
        return HTMLResponse(page, status_code=status, headers=HEADERS)
