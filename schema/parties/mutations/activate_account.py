"""`activateAccount(token, password)`: an invited user sets a first password with the link's token. Anonymous."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError, attempt
from workflows import activation


@strawberry.type
class ActivateAccountPayload:
    ok: bool = False
    email: str | None = strawberry.field(default=None, description="The account's e-mail: log in with it.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def activate_account(info: Info, token: str, password: str) -> ActivateAccountPayload:
    context = info.context
    user, errors = await attempt(activation.activate_account(
        token, password, address=context.client_address, clock=context.clock, policy=context.login_policy))
    return ActivateAccountPayload(ok=user is not None, email=user.email if user else None, errors=errors)
