"""A document service that records documents and their acknowledgement answers without any PDF.

The swappable twin of DocumentService (as pyHanko has a dummy time-stamper beside the real one): for tests about
workflows rather than signatures, and for benchmarks of the state changes alone. Never used to serve users.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Awaitable, Callable

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.models import Document, DocumentVersion
from workflows.documents import subjects
from workflows.documents.contexts import Letterhead
from workflows.documents.issuing import Subject, Within


class UnsignedDocuments:
    """Records documents like DocumentService.issue, without a PDF; a countersignature only runs its state changes."""

    timestamper = None  # bids are sealed by hash alone, as with a DocumentService without a TSA

    def __init__(self, letterhead: Letterhead) -> None:
        self.letterhead = letterhead
        self.issued: list[Subject] = []

    async def issue(self, subject: Subject, context, *, actor: Actor | None,  # noqa: ANN001
                    within: Within | None = None) -> DocumentVersion:
        async with in_transaction() as connection:
            document = await Document.filter(kind=subject.kind, subject_id=subject.subject_id).using_db(
                connection).first()
            if document is None:
                document = await Document.create(kind=subject.kind, number=subject.number, title=subject.title,
                                                 subject_type=subject.subject_type, subject_id=subject.subject_id,
                                                 supplier_id=subject.supplier_id, using_db=connection)
            version = await DocumentVersion.create(
                document=document, version=document.current_version + 1,
                sha256=hashlib.sha256(uuid.uuid4().bytes).hexdigest(), size=0, storage_key="", using_db=connection)
            document.current_version = version.version
            await document.save(using_db=connection, update_fields=["current_version"])
            if within is not None:
                await within(connection, version)
        self.issued.append(subject)
        return version

    async def countersign(self, document_id: uuid.UUID, actor: Actor, *, reason: str = "",
                          within: Callable[[BaseDBAsyncClient], Awaitable[None]] | None = None) -> None:
        """The acceptance's state changes, as DocumentService.countersign records them, without a signature."""
        async with in_transaction() as connection:
            if within is not None:
                await within(connection)


async def unsigned_documents() -> UnsignedDocuments:
    """An UnsignedDocuments with the buyer's letterhead (the ORM must be connected)."""
    return UnsignedDocuments(subjects.letterhead_of(await subjects.buyer_organization()))
