"""The one shape of an HTTP-level refusal: `{"errors": [{"message", "extensions": {"code"}}]}`, as GraphQL errors."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from api.auth import InvalidToken, authenticate
from domain.actors import Actor
from domain.clock import Clock

HTTP_ERROR_CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
                    413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE"}


def error_response(status: int, message: str, code: str | None = None) -> JSONResponse:
    """A JSON refusal; `code` defaults to the one for `status`."""
    code = code or HTTP_ERROR_CODES.get(status, "HTTP_ERROR")
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)


async def actor_or_401(request: Request, clock: Clock) -> Actor | Response:
    """The authenticated caller of a plain HTTP route, or the 401 response to send instead."""
    try:
        actor, _ = await authenticate(request, clock)
    except InvalidToken as error:
        return error_response(401, str(error))
    if actor is None:
        return error_response(401, "log in first: send `Authorization: Bearer <token>`")
    return actor
