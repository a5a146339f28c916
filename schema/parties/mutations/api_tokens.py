"""`createApiToken` and `revokeApiToken`: long-lived tokens for integrations (ERP, EDI), owned by a user."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.errors import DomainError
from schema.context import Info
from schema.errors import UserError, user_error
from schema.filters import require_id
from workflows import identity


@strawberry.type
class ApiToken:
    id: strawberry.ID
    name: str
    created_at: datetime
    expires_at: datetime | None


@strawberry.type
class CreateApiTokenPayload:
    token: str | None = strawberry.field(default=None, description="Shown once: the portal keeps only its hash.")
    api_token: ApiToken | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RevokeApiTokenPayload:
    ok: bool = False
    errors: list[UserError] = strawberry.field(default_factory=list)


async def create_api_token(info: Info, name: str, expires_at: datetime | None = None) -> CreateApiTokenPayload:
    context = info.context
    try:
        issued = await identity.create_api_token(context.require_actor(), name=name, expires_at=expires_at,
                                                 clock=context.clock)
    except DomainError as error:
        return CreateApiTokenPayload(errors=[user_error(error)])
    record = issued.record
    return CreateApiTokenPayload(token=issued.secret, api_token=ApiToken(
        id=strawberry.ID(str(record.id)), name=record.name, created_at=record.created_at, expires_at=record.expires_at))


async def revoke_api_token(info: Info, id: strawberry.ID) -> RevokeApiTokenPayload:
    context = info.context
    try:
        await identity.revoke_api_token(context.require_actor(), require_id(id), clock=context.clock)
    except DomainError as error:
        return RevokeApiTokenPayload(errors=[user_error(error)])
    return RevokeApiTokenPayload(ok=True)
