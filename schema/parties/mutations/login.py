"""`login(email, password)`: a session token, or a UserError that never says whether the e-mail exists."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_error
from schema.parties.types import User
from workflows import identity


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(default=None, description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime | None = None
    user: User | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


async def login(info: Info, email: str, password: str) -> LoginPayload:
    context = info.context
    try:
        issued = await identity.login(email, password, address=context.client_address, clock=context.clock,
                                      policy=context.login_policy)
    except DomainError as error:
        return LoginPayload(errors=[user_error(error)])
    return LoginPayload(token=issued.secret, expires_at=issued.record.expires_at, user=User.from_row(issued.user))
