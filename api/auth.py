"""Who is calling: the bearer token of a request, resolved to an Actor.

A request without a token is anonymous (it may only log in). A request with a token that is malformed, unknown,
expired or revoked is refused with 401 before any GraphQL runs: a client must learn that its token is bad.
Browser sessions (cookie + CSRF token) will plug in here.
"""

from __future__ import annotations

from starlette.requests import HTTPConnection

from domain.actors import Actor
from domain.clock import Clock
from workflows import identity


class InvalidToken(Exception):
    """The request carried credentials that do not authenticate anybody."""


def bearer_token(connection: HTTPConnection) -> str | None:
    header = connection.headers.get("authorization")
    if header is None:
        return None
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise InvalidToken("the Authorization header must be `Bearer <token>`")
    return secret.strip()


async def authenticate(connection: HTTPConnection, clock: Clock) -> tuple[Actor | None, str | None]:
    secret = bearer_token(connection)
    if secret is None:
        return None, None
    actor = await identity.authenticate(secret, clock=clock)
    if actor is None:
        raise InvalidToken("the token is invalid, expired or revoked: log in again")
    return actor, secret


def client_address(connection: HTTPConnection) -> str:
    return connection.client.host if connection.client else "unknown"
