"""The one shape of an HTTP-level refusal: `{"errors": [{"message", "extensions": {"code"}}]}`, as GraphQL errors."""

from __future__ import annotations

from starlette.responses import JSONResponse

HTTP_ERROR_CODES = {400: "BAD_REQUEST", 401: "UNAUTHENTICATED", 404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED",
                    413: "PAYLOAD_TOO_LARGE", 415: "UNSUPPORTED_MEDIA_TYPE"}


def error_response(status: int, message: str, code: str | None = None) -> JSONResponse:
    """A JSON refusal; `code` defaults to the one for `status`."""
    code = code or HTTP_ERROR_CODES.get(status, "HTTP_ERROR")
    return JSONResponse({"errors": [{"message": message, "extensions": {"code": code}}]}, status_code=status)
