"""Errors as data: every mutation payload carries `errors: [UserError!]!`, translated here from domain errors."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

import strawberry
from graphql import GraphQLError

from domain.errors import DomainError


@strawberry.type(description="Why a mutation was refused. `code` is stable; `field` names the input concerned.")
class UserError:
    code: str
    message: str
    field: str | None = None


def user_error(error: DomainError) -> UserError:
    return UserError(code=error.code, message=error.message, field=error.field)


T = TypeVar("T")


async def attempt(action: Awaitable[T]) -> tuple[T | None, list[UserError]]:
    """Run a workflow call: its result and no errors, or no result and the refusal as a UserError (the one place
    mutations translate domain errors)."""
    try:
        return await action, []
    except DomainError as error:
        return None, [user_error(error)]


class PublicError(GraphQLError):
    """A top-level error whose message is safe to show (bad input to a query): never masked."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT") -> None:
        super().__init__(message, extensions={"code": code})


def should_mask(error: GraphQLError) -> bool:
    """Mask bugs: any error raised by Python code that is not deliberately public."""
    original = error.original_error
    if original is None:
        return False  # syntax and validation errors
    return not isinstance(original, (GraphQLError, PublicError))
