"""`logout`: revokes the token the request was made with."""

from __future__ import annotations

import strawberry

from schema.context import Info
from schema.errors import UserError
from workflows import identity


@strawberry.type
class LogoutPayload:
    ok: bool
    errors: list[UserError] = strawberry.field(default_factory=list)


async def logout(info: Info) -> LogoutPayload:
    context = info.context
    if context.token_secret is not None:
        await identity.logout(context.token_secret, actor=context.require_actor(), clock=context.clock)
    return LogoutPayload(ok=True)
