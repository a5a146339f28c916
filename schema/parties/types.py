"""GraphQL types for parties."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry

from domain import models as m
from schema.context import Info
from schema.enums import OrgKind, QualificationDocumentKind, QualificationStatus, Role
from schema.parties.loaders import organization_by_id, qualification_documents_by_org


@strawberry.type(description="A qualification document of a supplier: licence, ISO certificate, …")
class QualificationDocument:
    id: strawberry.ID
    kind: QualificationDocumentKind
    number: str
    title: str
    issued_on: date | None
    expires_on: date | None

    @classmethod
    def from_row(cls, row: m.QualificationDocument) -> QualificationDocument:
        return cls(id=strawberry.ID(str(row.id)), kind=row.kind, number=row.number, title=row.title,
                   issued_on=row.issued_on, expires_on=row.expires_on)


@strawberry.type(description="An organisation: the buyer, or a supplier.")
class Organization:
    id: strawberry.ID
    kind: OrgKind
    code: str
    name_zh: str
    name_en: str
    qualification_status: QualificationStatus | None
    categories: list[str]
    credit_code: str
    address: str
    contact_email: str
    created_at: datetime

    @strawberry.field(description="Chinese name, then the English one.")
    def name(self) -> str:
        return f"{self.name_zh} ({self.name_en})" if self.name_en else self.name_zh

    @strawberry.field
    async def qualification_documents(self, info: Info) -> list[QualificationDocument]:
        rows = await info.context.loader(qualification_documents_by_org).load(uuid.UUID(self.id))
        return [QualificationDocument.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: m.Organization) -> Organization:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, code=row.code, name_zh=row.name_zh, name_en=row.name_en,
            qualification_status=row.qualification_status, categories=list(row.categories or []),
            credit_code=row.credit_code, address=row.address, contact_email=row.contact_email,
            created_at=row.created_at,
        )


async def load_organization(info: Info, org_id: uuid.UUID | None) -> Organization | None:
    """The organisation `org_id` if the viewer may name it (for `supplier` fields of other records)."""
    if org_id is None:
        return None
    row = await info.context.loader(organization_by_id).load(org_id)
    return Organization.from_row(row) if row else None


@strawberry.type(description="A user of the portal.")
class User:
    id: strawberry.ID
    email: str
    display_name: str
    roles: list[Role]
    locale: str
    time_zone: str
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_organization(info, self.organization_id)

    @classmethod
    def from_row(cls, row: m.User) -> User:
        return cls(id=strawberry.ID(str(row.id)), email=row.email, display_name=row.display_name,
                   roles=list(row.roles), locale=row.locale, time_zone=row.time_zone,
                   organization_id=row.organization_id)
