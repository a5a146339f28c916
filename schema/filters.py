"""Filters shared by the connections: date ranges, text search on number and title, and ID arguments."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.ids import parse_id
from schema.errors import PublicError

MAX_SEARCH_LENGTH = 100
MAX_FILTER_VALUES = 50


def require_id(value: strawberry.ID | str, argument: str = "id") -> uuid.UUID:
    """The UUID of an ID argument; a malformed one is a clear input error."""
    parsed = parse_id(str(value))
    if parsed is None:
        raise PublicError(f"`{argument}` is not a valid ID")
    return parsed


def optional_id(value: strawberry.ID | None, argument: str) -> uuid.UUID | None:
    return None if value is None else require_id(value, argument)


def search(queryset: QuerySet, text: str | None, fields: tuple[str, ...]) -> QuerySet:
    """Case-insensitive substring search over `fields` (document number, title, …)."""
    if text is None:
        return queryset
    text = text.strip()
    if len(text) > MAX_SEARCH_LENGTH:
        raise PublicError(f"`search` must have at most {MAX_SEARCH_LENGTH} characters")
    if not text:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": text})
    return queryset.filter(condition)


def one_of(queryset: QuerySet, field: str, values: list | None, argument: str) -> QuerySet:
    if values is None:
        return queryset
    if len(values) > MAX_FILTER_VALUES:
        raise PublicError(f"`{argument}` takes at most {MAX_FILTER_VALUES} values")
    return queryset.filter(**{f"{field}__in": [getattr(v, "value", v) for v in values]})


def date_range(queryset: QuerySet, field: str, after: datetime | None, before: datetime | None,
               arguments: tuple[str, str]) -> QuerySet:
    """Records whose `field` is in [after, before). `arguments` are the GraphQL names, for the error message."""
    if after is not None and before is not None and after > before:
        raise PublicError(f"`{arguments[0]}` is after `{arguments[1]}`: the range is empty")
    if after is not None:
        queryset = queryset.filter(**{f"{field}__gte": after})
    if before is not None:
        queryset = queryset.filter(**{f"{field}__lt": before})
    return queryset
