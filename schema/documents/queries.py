"""Queries for documents: `documents`, `document`."""

from __future__ import annotations

import strawberry
from tortoise.queryset import QuerySet

from schema.context import Info
from schema.documents.types import Document
from schema.enums import DocumentKind
from schema.filters import one_of, optional_id, require_id, search
from schema.pagination import Connection, paginate
from schema.permissions import IsAuthenticated
from workflows import visibility


@strawberry.input
class DocumentFilter:
    kind: list[DocumentKind] | None = None
    supplier_id: strawberry.ID | None = None
    search: str | None = strawberry.field(default=None, description="in the document number and title")


def filter_documents(queryset: QuerySet, filter: DocumentFilter) -> QuerySet:
    queryset = one_of(queryset, "kind", filter.kind, "kind")
    if (supplier_id := optional_id(filter.supplier_id, "supplierId")) is not None:
        queryset = queryset.filter(supplier_id=supplier_id)
    return search(queryset, filter.search, ("number", "title"))


@strawberry.type
class DocumentsQuery:
    @strawberry.field(permission_classes=[IsAuthenticated])
    async def documents(self, info: Info, first: int | None = None, after: str | None = None,
                        filter: DocumentFilter | None = None) -> Connection[Document]:
        queryset = visibility.documents(info.context.require_actor())
        if filter is not None:
            queryset = filter_documents(queryset, filter)
        return await paginate(queryset, first=first, after=after, to_node=Document.from_row)

    @strawberry.field(permission_classes=[IsAuthenticated])
    async def document(self, info: Info, id: strawberry.ID) -> Document | None:
        row = await visibility.get_visible(visibility.documents(info.context.require_actor()), require_id(id))
        return Document.from_row(row) if row else None
