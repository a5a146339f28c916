"""A supplier's qualification documents (business licence, ISO certificates, …) and their expiry dates.

Buyer procurement staff and admins keep them for any supplier; a supplier's own admin keeps its own. Expiry dates are
calendar dates of the buyer's time zone: `expiring_documents` is what the reminders of issue #5 run on.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import QualificationDocumentKind, QualificationStatus, Role
from domain.errors import NotFound, PermissionDenied, ValidationFailed
from domain.models import Organization, QualificationDocument
from workflows import visibility
from workflows.audit import record_event
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.idempotency import create_once
from workflows.inputs import text

ADD_OPERATION = "addQualificationDocument"
MAX_DOCUMENTS_PER_SUPPLIER = 50
MAX_WITHIN_DAYS = 366
STAFF_ROLES = frozenset({Role.PROCUREMENT, Role.ADMIN})
SUPPLIER_ROLES = frozenset({Role.SUPPLIER_ADMIN})


@dataclass(frozen=True)
class QualificationDocumentInput:
    supplier_id: uuid.UUID
    kind: QualificationDocumentKind
    number: str
    title: str
    issued_on: date | None = None
    expires_on: date | None = None  # None: valid without limit (e.g. a licence 长期有效)


def business_today(clock: Clock) -> date:
    """Today in the buyer's time zone: the calendar that certificates' dates are written in."""
    return clock.now().astimezone(BUYER_TIME_ZONE).date()


def days_until_expiry(expires_on: date | None, today: date) -> int | None:
    """Days from `today` until `expires_on` (0: expires today; negative: expired); None when it never expires."""
    return None if expires_on is None else (expires_on - today).days


def is_expiring(expires_on: date | None, today: date, within_days: int, *, include_expired: bool = False) -> bool:
    """Whether a document expiring on `expires_on` expires within `within_days` days of `today` (today included)."""
    days = days_until_expiry(expires_on, today)
    return days is not None and days <= within_days and (include_expired or days >= 0)


def checked_within_days(within_days: int, field: str = "withinDays") -> int:
    if not 0 <= within_days <= MAX_WITHIN_DAYS:
        raise ValidationFailed(f"the horizon takes 0 to {MAX_WITHIN_DAYS} days", field=field)
    return within_days


def _may_keep(actor: Actor) -> bool:
    return actor.has_any(SUPPLIER_ROLES) if actor.is_supplier else actor.is_staff and actor.has_any(STAFF_ROLES)


def _require_keeper(actor: Actor) -> None:
    if not _may_keep(actor):
        raise PermissionDenied("qualification documents are kept by procurement, admins and the supplier's own admin")


def _validated(data: QualificationDocumentInput, today: date) -> QualificationDocumentInput:
    number = text(data.number, "number", 64, required=True)
    title = text(data.title, "title", 200, required=True)
    if data.issued_on is not None and data.issued_on > today:
        raise ValidationFailed("a document cannot be issued in the future", field="issuedOn")
    if data.expires_on is not None:
        if data.issued_on is not None and data.expires_on <= data.issued_on:
            raise ValidationFailed("a document expires after it was issued", field="expiresOn")
        if data.expires_on < today:
            raise ValidationFailed(f"the document expired on {data.expires_on.isoformat()}: add its renewal",
                                   field="expiresOn", code="DOCUMENT_EXPIRED")
    return QualificationDocumentInput(data.supplier_id, QualificationDocumentKind(data.kind), number, title,
                                      data.issued_on, data.expires_on)


async def add_qualification_document(actor: Actor, data: QualificationDocumentInput, *, clock: Clock,
                                     idempotency_key: str | None = None) -> QualificationDocument:
    """Record a qualification document of a supplier.

    Refuses NOT_FOUND (a supplier the actor may not see), PERMISSION_DENIED (not procurement, an admin or the
    supplier's own admin), INVALID / DOCUMENT_EXPIRED on the input, DUPLICATE_DOCUMENT (the same kind and number is
    already there) and TOO_MANY_DOCUMENTS."""
    if not actor.is_supplier:
        _require_keeper(actor)  # staff: the role first, it reveals nothing
    organization = await visibility.get_visible(visibility.suppliers(actor), data.supplier_id)
    if organization is None:
        raise NotFound("no such supplier", field="supplierId")
    _require_keeper(actor)
    if organization.qualification_status == QualificationStatus.REJECTED:
        raise ValidationFailed(f"supplier {organization.code} was rejected", field="supplierId",
                               code="SUPPLIER_REJECTED")
    now = clock.now()
    data = _validated(data, business_today(clock))

    async def create(connection: BaseDBAsyncClient) -> QualificationDocument:
        existing = QualificationDocument.filter(organization_id=organization.id).using_db(connection)
        if await existing.filter(kind=data.kind, number=data.number).exists():
            raise ValidationFailed(f"{organization.code} already has the {data.kind.value} {data.number}",
                                   field="number", code="DUPLICATE_DOCUMENT")
        if await existing.count() >= MAX_DOCUMENTS_PER_SUPPLIER:
            raise ValidationFailed(f"a supplier has at most {MAX_DOCUMENTS_PER_SUPPLIER} qualification documents: "
                                   "remove outdated ones first", field="supplierId", code="TOO_MANY_DOCUMENTS")
        document = await QualificationDocument.create(
            organization_id=organization.id, kind=data.kind, number=data.number, title=data.title,
            issued_on=data.issued_on, expires_on=data.expires_on, created_at=now, using_db=connection)
        await record_event(connection, at=now, actor=actor, action="qualificationDocument.added",
                           subject_type="QualificationDocument", subject_id=document.id, supplier_id=organization.id,
                           data={"kind": data.kind.value, "number": data.number,
                                 "expires_on": data.expires_on.isoformat() if data.expires_on else None})
        return document

    request = {"supplier_id": str(data.supplier_id), "kind": data.kind.value, "number": data.number,
               "title": data.title, "issued_on": data.issued_on, "expires_on": data.expires_on}
    document, _ = await create_once(actor, ADD_OPERATION, idempotency_key, request, create,
                                    lambda document_id: QualificationDocument.get(id=document_id))
    return document


async def remove_qualification_document(actor: Actor, document_id: uuid.UUID, *, clock: Clock) -> Organization:
    """Remove a qualification document (e.g. one superseded by its renewal); returns its supplier. Refuses NOT_FOUND
    and PERMISSION_DENIED like `add_qualification_document`."""
    if not actor.is_supplier:
        _require_keeper(actor)
    document = await visibility.get_visible(visibility.qualification_documents(actor), document_id)
    if document is None:
        raise NotFound("no such qualification document", field="id")
    _require_keeper(actor)
    now = clock.now()
    async with in_transaction() as connection:
        # Conditional: of two removals at once, one records the event and the other is told it is gone.
        if not await QualificationDocument.filter(id=document.id).using_db(connection).delete():
            raise NotFound("no such qualification document", field="id")
        await record_event(connection, at=now, actor=actor, action="qualificationDocument.removed",
                           subject_type="QualificationDocument", subject_id=document.id,
                           supplier_id=document.organization_id,
                           data={"kind": str(document.kind), "number": document.number})
    return await Organization.get(id=document.organization_id)


async def expiring_documents(within_days: int, clock: Clock, *,
                             include_expired: bool = False) -> list[QualificationDocument]:
    """Every qualification document of a supplier still in business (not rejected) that expires within
    `within_days` days from today (today included), soonest first, with its organisation loaded. With
    `include_expired`, also those already expired. For the reminders of issue #5; not scoped: callers are the
    portal itself."""
    today = business_today(clock)
    queryset = QualificationDocument.filter(
        expires_on__lte=today + timedelta(days=checked_within_days(within_days)),
        organization__kind="SUPPLIER",
    ).exclude(organization__qualification_status=QualificationStatus.REJECTED)
    if not include_expired:
        queryset = queryset.filter(expires_on__gte=today)
    return await queryset.select_related("organization").order_by("expires_on", "id")
