"""GraphQL types for parties."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry

from domain import models as m
from domain.errors import DomainError
from schema.context import Info
from schema.enums import OrgKind, QualificationDocumentKind, QualificationStatus, Role
from schema.errors import PublicError
from schema.parties.loaders import organization_by_id, qualification_documents_by_org
from schema.parties.responsiveness import ResponsivenessKey, SupplierResponsiveness, responsiveness_by_supplier
from workflows.deadlines.responsiveness import checked_window
from workflows.qualification_documents import (
    business_today, checked_within_days, days_until_expiry, is_expiring,
)


@strawberry.type(description="A qualification document of a supplier: licence, ISO certificate, …")
class QualificationDocument:
    id: strawberry.ID
    kind: QualificationDocumentKind
    number: str
    title: str
    issued_on: date | None
    expires_on: date | None

    @strawberry.field(description="Days until it expires, in the buyer's calendar (0: today; negative: expired); "
                                  "null when it does not expire.")
    def expires_in_days(self, info: Info) -> int | None:
        return days_until_expiry(self.expires_on, business_today(info.context.clock))

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
    qualified_at: datetime | None = None
    suspended_at: datetime | None = None
    suspension_reason: str = strawberry.field(default="", description="Why it is suspended; empty otherwise.")
    rejected_at: datetime | None = None

    @strawberry.field(description="Chinese name, then the English one.")
    def name(self) -> str:
        return f"{self.name_zh} ({self.name_en})" if self.name_en else self.name_zh

    @strawberry.field
    async def qualification_documents(self, info: Info) -> list[QualificationDocument]:
        rows = await info.context.loader(qualification_documents_by_org).load(uuid.UUID(self.id))
        return [QualificationDocument.from_row(row) for row in rows]

    @strawberry.field(description="Its qualification documents that expire within `withinDays` days (today "
                                  "included), soonest first; with `includeExpired`, also those already expired.")
    async def expiring_qualification_documents(self, info: Info, within_days: int = 30,
                                               include_expired: bool = False) -> list[QualificationDocument]:
        try:
            within_days = checked_within_days(within_days)
        except DomainError as error:
            raise PublicError(error.message) from None
        today = business_today(info.context.clock)
        rows = await info.context.loader(qualification_documents_by_org).load(uuid.UUID(self.id))
        expiring = [row for row in rows if is_expiring(row.expires_on, today, within_days,
                                                        include_expired=include_expired)]
        return [QualificationDocument.from_row(row) for row in sorted(expiring, key=lambda row: row.expires_on)]

    @strawberry.field(description="A supplier's record of answering acknowledgements over the last `days` days "
                                  "(1 to 730). Buyer staff see every supplier's, a supplier its own; null otherwise.")
    async def responsiveness(self, info: Info, days: int = 180) -> SupplierResponsiveness | None:
        if self.kind != OrgKind.SUPPLIER:
            return None
        try:
            days = checked_window(days)
        except DomainError as error:
            raise PublicError(error.message) from None
        key = ResponsivenessKey(uuid.UUID(self.id), days, info.context.clock)
        record = await info.context.loader(responsiveness_by_supplier).load(key)
        return SupplierResponsiveness.of(record) if record else None

    @classmethod
    def from_row(cls, row: m.Organization) -> Organization:
        return cls(
            id=strawberry.ID(str(row.id)), kind=row.kind, code=row.code, name_zh=row.name_zh, name_en=row.name_en,
            qualification_status=row.qualification_status, categories=list(row.categories or []),
            credit_code=row.credit_code, address=row.address, contact_email=row.contact_email,
            created_at=row.created_at, qualified_at=row.qualified_at, suspended_at=row.suspended_at,
            suspension_reason=row.suspension_reason, rejected_at=row.rejected_at,
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
    active: bool = strawberry.field(description="False once deactivated: the user can no longer log in.")
    activated: bool = strawberry.field(description="True once the user has set a password with their activation link.")
    organization_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def organization(self, info: Info) -> Organization | None:
        return await load_organization(info, self.organization_id)

    @classmethod
    def from_row(cls, row: m.User) -> User:
        return cls(id=strawberry.ID(str(row.id)), email=row.email, display_name=row.display_name,
                   roles=list(row.roles), locale=row.locale, time_zone=row.time_zone, active=row.is_active,
                   activated=row.password_hash is not None, organization_id=row.organization_id)
