"""Relay cursor connections, paged by keyset on the time-ordered id (newest first), with a capped page size."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry
from tortoise.queryset import QuerySet

from domain.ids import parse_id
from schema.errors import PublicError

NodeType = TypeVar("NodeType")

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CURSOR_PREFIX = "c1:"


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeType]):
    cursor: str
    node: NodeType


@strawberry.type
class Connection(Generic[NodeType]):
    edges: list[Edge[NodeType]]
    page_info: PageInfo
    _queryset: strawberry.Private[Any]

    @strawberry.field(description="Number of records matching the filter (costs one query).")
    async def total_count(self) -> int:
        return await self._queryset.count()


def encode_cursor(record_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode((CURSOR_PREFIX + str(record_id)).encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        text = ""
    record_id = parse_id(text[len(CURSOR_PREFIX):]) if text.startswith(CURSOR_PREFIX) else None
    if record_id is None or len(cursor) > 100:
        raise PublicError("`after` is not a cursor this API gave out")
    return record_id


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE_SIZE
    if first < 0:
        raise PublicError("`first` must not be negative")
    if first > MAX_PAGE_SIZE:
        raise PublicError(f"`first` must be at most {MAX_PAGE_SIZE}")
    return first


async def paginate(
    queryset: QuerySet,
    *,
    first: int | None,
    after: str | None,
    to_node: Callable[[Any], Any],
) -> Connection:
    """One page of `queryset`, newest first. One query for the page; `totalCount` costs one more, if asked."""
    size = page_size(first)
    page_query = queryset
    if after is not None:
        page_query = page_query.filter(id__lt=decode_cursor(after))
    rows: Sequence[Any] = await page_query.order_by("-id").limit(size + 1) if size else []
    has_next = len(rows) > size
    rows = list(rows)[:size]
    edges = [Edge(cursor=encode_cursor(row.id), node=to_node(row)) for row in rows]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        _queryset=queryset,
    )
