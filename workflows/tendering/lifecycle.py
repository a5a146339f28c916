"""A tender's life before bids are opened: create a draft, publish it to the suppliers, or cancel it."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import AcknowledgementKind, OrgKind, QualificationStatus, TenderVisibility
from domain.errors import NotFound, ValidationFailed
from domain.models import Organization, Tender, TenderInvitation, TenderLine
from workflows import transitions as tt
from workflows.audit import record_event
from workflows.deadlines.acknowledgements import close_acknowledgements, open_acknowledgement
from workflows.idempotency import create_once
from workflows.numbering import reserve_numbers
from workflows.staff import require_procurement_staff
from workflows.suppliers import require_qualified
from workflows.tendering.access import visible_tender
from workflows.tendering.inputs import MAX_REASON_LENGTH, TenderInput, checked_tender, text


async def _invitees(supplier_ids: Sequence[uuid.UUID], connection: BaseDBAsyncClient | None, *,
                    from_input: bool) -> list[Organization]:
    """The suppliers `supplier_ids`, in that order: each must exist and be QUALIFIED. Refusals name the input's
    `invitedSupplierIds[i]` (`from_input`), else the tender's `id`."""
    found = {org.id: org for org in await Organization.filter(id__in=list(supplier_ids), kind=OrgKind.SUPPLIER)
             .using_db(connection)}
    suppliers = []
    for i, supplier_id in enumerate(supplier_ids):
        field = f"invitedSupplierIds[{i}]" if from_input else "id"
        supplier = found.get(supplier_id)
        if supplier is None:
            raise NotFound("no such supplier", field=field)
        require_qualified(supplier, field=field)
        suppliers.append(supplier)
    return suppliers


async def create_tender(actor: Actor, data: TenderInput, *, clock: Clock,
                        idempotency_key: str | None = None) -> tuple[Tender, bool]:
    """A DRAFT tender with its lines and (for an INVITED tender) its invitations, numbered ZB-<year>-<n>.

    Returns (tender, created now): a retry with the same idempotency key returns the first tender. Invitees must be
    qualified suppliers; nothing is sent to them before the tender is published."""
    require_procurement_staff(actor, "create a tender")
    now = clock.now()
    data = checked_tender(data, now)

    async def create(connection: BaseDBAsyncClient) -> Tender:
        suppliers = await _invitees(data.invited_supplier_ids, connection, from_input=True)
        [number] = await reserve_numbers(connection, "tender", now.year)
        tender = await Tender.create(
            number=number, title=data.title, description=data.description, visibility=data.visibility,
            category=data.category, currency=data.currency, opens_at=data.opens_at, closes_at=data.closes_at,
            owner_id=actor.user_id, created_at=now, using_db=connection)
        await TenderLine.bulk_create([
            TenderLine(tender=tender, line_no=n, item_code=line.item_code, item_name=line.item_name,
                       specification=line.specification, quantity=line.quantity, unit=line.unit,
                       required_by=line.required_by, created_at=now)
            for n, line in enumerate(data.lines, start=1)
        ], batch_size=500, using_db=connection)
        await TenderInvitation.bulk_create([
            TenderInvitation(tender=tender, supplier=supplier, created_at=now) for supplier in suppliers
        ], using_db=connection)
        await record_event(connection, at=now, actor=actor, action="tender.create", subject_type="Tender",
                           subject_id=tender.id, data={"number": number, "lines": len(data.lines),
                                                       "visibility": str(data.visibility)})
        return tender

    return await create_once(actor, "createTender", idempotency_key, dataclasses.asdict(data), create,
                             lambda tender_id: Tender.get(id=tender_id))


async def _qualified_in_category(category: str, connection: BaseDBAsyncClient | None) -> list[Organization]:
    # Categories are a JSON list per supplier: filtered here, the same way on SQLite and PostgreSQL.
    qualified = await Organization.filter(kind=OrgKind.SUPPLIER, qualification_status=QualificationStatus.QUALIFIED
                                          ).order_by("code").using_db(connection)
    return [supplier for supplier in qualified if category in (supplier.categories or [])]


async def publish_tender(actor: Actor, tender_id: uuid.UUID | None, *, clock: Clock) -> Tender:
    """Publish a DRAFT tender: it must have lines, close in the future and address qualified suppliers only. An OPEN
    tender is addressed to every qualified supplier of its category now. Each invitee gets a TENDER_BID
    acknowledgement due when the tender closes, answered by bidding or declining."""
    require_procurement_staff(actor, "publish a tender")
    tender = await visible_tender(actor, tender_id)
    tt.check(tt.TENDER, tender, "publish", actor)
    now = clock.now()
    if not await TenderLine.filter(tender=tender).exists():
        raise ValidationFailed(f"tender {tender.number} has no lines", field="lines", code="NO_LINES")
    if tender.closes_at <= now:
        raise ValidationFailed(f"tender {tender.number} closes at {tender.closes_at.isoformat()}, which has passed",
                               field="closesAt", code="CLOSES_AT_PASSED")

    async with in_transaction() as connection:
        if tender.visibility is TenderVisibility.OPEN:
            invitees = await _qualified_in_category(tender.category, connection)
            if not invitees:
                raise ValidationFailed(f"no qualified supplier serves the category {tender.category!r}",
                                       field="category", code="NO_INVITEES")
            await TenderInvitation.bulk_create([
                TenderInvitation(tender=tender, supplier=supplier, created_at=now) for supplier in invitees
            ], using_db=connection)
        else:
            invited = await TenderInvitation.filter(tender=tender).using_db(connection).order_by(
                "created_at", "id").values_list("supplier_id", flat=True)
            if not invited:
                raise ValidationFailed(f"tender {tender.number} invites nobody", field="invitedSupplierIds",
                                       code="NO_INVITEES")
            invitees = await _invitees(invited, connection, from_input=False)
        await tt.apply(connection, tt.TENDER, tender, "publish", actor=actor, at=now,
                       data={"number": tender.number, "invited": [s.code for s in invitees]})
        for supplier in invitees:
            await open_acknowledgement(connection, kind=AcknowledgementKind.TENDER_BID, subject=tender,
                                       number=tender.number, supplier_id=supplier.id, owner_id=tender.owner_id,
                                       sent_at=now, due_at=tender.closes_at)
    return tender


async def cancel_tender(actor: Actor, tender_id: uuid.UUID | None, reason: str, *, clock: Clock) -> Tender:
    """Cancel a draft, published or closed tender, with a reason (1 to 500 characters). The invitees' open TENDER_BID
    acknowledgements are cancelled; the bids stay sealed for good."""
    require_procurement_staff(actor, "cancel a tender")
    reason = text(reason, "reason", MAX_REASON_LENGTH, required=True)
    tender = await visible_tender(actor, tender_id)
    tt.check(tt.TENDER, tender, "cancel", actor)
    now = clock.now()
    async with in_transaction() as connection:
        await tt.apply(connection, tt.TENDER, tender, "cancel", actor=actor, at=now,
                       changes={"cancel_reason": reason}, data={"number": tender.number, "reason": reason})
        await close_acknowledgements(connection, tender, name="cancel", actor=actor, at=now)
    return tender
