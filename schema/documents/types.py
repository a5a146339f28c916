"""GraphQL types for documents, their versions and signatures."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from domain import enums
from domain import models as m
from schema.context import Info
from schema.documents.loaders import signatures_by_version, versions_by_document
from schema.enums import DocumentKind
from schema.parties.types import Organization, load_organization


@strawberry.type(description="A PAdES signature in one version of a document.")
class Signature:
    id: strawberry.ID
    field_name: str
    signed_at: datetime
    reason: str
    certificate_fingerprint: str = strawberry.field(description="sha256 of the signer's DER certificate")
    signer_org_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def signer_organization(self, info: Info) -> Organization | None:
        return await load_organization(info, self.signer_org_id)

    @classmethod
    def from_row(cls, row: m.Signature) -> Signature:
        return cls(id=strawberry.ID(str(row.id)), field_name=row.field_name, signed_at=row.signed_at,
                   reason=row.reason, certificate_fingerprint=row.certificate_fingerprint,
                   signer_org_id=row.signer_org_id)


@strawberry.type(description="One version of a document's file: each countersignature adds one.")
class DocumentVersion:
    id: strawberry.ID
    version: int
    sha256: str
    size: int = strawberry.field(description="in bytes")
    created_at: datetime

    @strawberry.field
    async def signatures(self, info: Info) -> list[Signature]:
        rows = await info.context.loader(signatures_by_version).load(uuid.UUID(self.id))
        return [Signature.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.DocumentVersion) -> DocumentVersion:
        return cls(id=strawberry.ID(str(row.id)), version=row.version, sha256=row.sha256, size=row.size,
                   created_at=row.created_at)


@strawberry.type(description="A signed document (contract, purchase order, statement, …) sent to a supplier.")
class Document:
    id: strawberry.ID
    kind: DocumentKind
    number: str = strawberry.field(description="The number of the document's subject, e.g. HT-2026-0001.")
    title: str
    current_version: int = strawberry.field(description="0 until the first version is stored.")
    created_at: datetime
    updated_at: datetime
    supplier_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field(description="Oldest first.")
    async def versions(self, info: Info) -> list[DocumentVersion]:
        rows = await info.context.loader(versions_by_document).load(uuid.UUID(self.id))
        return [DocumentVersion.from_row(row) for row in rows]

    @strawberry.field(description="Where to download the current version; null while there is none.")
    def download_url(self) -> str | None:
        return f"/documents/{self.id}/pdf" if self.current_version > 0 else None

    @strawberry.field(description="The file's name, `<kind>-<number>.pdf`, e.g. contract-HT-2026-0001.pdf.")
    def file_name(self) -> str:
        return f"{enums.DocumentKind(self.kind).file_prefix}-{self.number}.pdf"

    @classmethod
    def from_row(cls, row: m.Document) -> Document:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, number=row.number, title=row.title,
            current_version=row.current_version, created_at=row.created_at, updated_at=row.updated_at,
            supplier_id=row.supplier_id,
        )
