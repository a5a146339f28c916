"""The Mutation fields of parties."""

from __future__ import annotations

import strawberry

from schema.parties.mutations.api_tokens import (
    CreateApiTokenPayload, RevokeApiTokenPayload, create_api_token, revoke_api_token,
)
from schema.parties.mutations.login import LoginPayload, login
from schema.parties.mutations.logout import LogoutPayload, logout
from schema.permissions import IsAuthenticated


@strawberry.type
class PartiesMutation:
    login: LoginPayload = strawberry.mutation(resolver=login, description="Anonymous callers may call only this.")
    logout: LogoutPayload = strawberry.mutation(resolver=logout, permission_classes=[IsAuthenticated])
    create_api_token: CreateApiTokenPayload = strawberry.mutation(resolver=create_api_token,
                                                                  permission_classes=[IsAuthenticated])
    revoke_api_token: RevokeApiTokenPayload = strawberry.mutation(resolver=revoke_api_token,
                                                                  permission_classes=[IsAuthenticated])
