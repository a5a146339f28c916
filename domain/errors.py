"""Domain errors. Each has a stable `code` that clients may rely on, a message for people, and the input field concerned.

Workflows raise these; the GraphQL layer translates them into `UserError`s in one place.
"""

from __future__ import annotations


class DomainError(Exception):
    """A refusal that changed nothing. `code` is stable; `message` is for people; `field` names the input."""

    code = "INVALID"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code


class ValidationFailed(DomainError):
    code = "INVALID"


class NotFound(DomainError):
    """Also what a caller gets for a record it may not see: the two are indistinguishable."""

    code = "NOT_FOUND"


class PermissionDenied(DomainError):
    code = "PERMISSION_DENIED"


class AuthenticationFailed(DomainError):
    code = "AUTHENTICATION_FAILED"


class RateLimited(DomainError):
    code = "TOO_MANY_ATTEMPTS"


class IllegalTransition(DomainError):
    code = "ILLEGAL_TRANSITION"


class Conflict(DomainError):
    """A concurrent change won: the caller's view of the record is stale."""

    code = "CONFLICT"
