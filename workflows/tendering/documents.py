"""The tender's signed documents: the opening record (who opened the bids, when, every bid's hash) and the award
notices (one per winning supplier).

They are issued after the state change they record has committed (rendering takes too long to hold a transaction
open). Issuing is idempotent, so a failed signing is simply retried: `issue_missing_documents` does so for every
recently closed or awarded tender that lacks one.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from tortoise.exceptions import IntegrityError

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import DocumentKind, Role, TenderStatus
from domain.errors import Conflict
from domain.models import Award, Document, Organization, Tender, User
from workflows.documents import subjects
from workflows.documents.contexts import DocumentContext
from workflows.documents.issuing import DocumentService, Subject

logger = logging.getLogger(__name__)

# How far back the sweep looks for a document whose signing failed.
RETRY_WINDOW = timedelta(days=7)
AUTOMATIC_OPENING = "系统自动开标 Portal, automatically at the closing time"
ROLE_LABELS = {Role.PROCUREMENT: "采购 Procurement", Role.ADMIN: "管理员 Administrator"}


async def _opened_by(tender: Tender) -> tuple[str, ...]:
    if tender.closed_by_id is None:
        return (AUTOMATIC_OPENING,)
    user = await User.get(id=tender.closed_by_id)
    roles = [label for role, label in ROLE_LABELS.items() if role.value in (user.roles or [])]
    return (f"{user.display_name} <{user.email}>" + (f" ({', '.join(roles)})" if roles else ""),)


async def opening_record(tender: Tender) -> Document | None:
    return await Document.get_or_none(kind=DocumentKind.TENDER_OPENING_RECORD, subject_id=tender.id)


async def _issue(service: DocumentService, subject: Subject, context: DocumentContext, actor: Actor | None) -> None:
    try:
        await service.issue(subject, context, actor=actor)
    except (Conflict, IntegrityError):
        # Issued meanwhile by a concurrent call (another worker's sweep, or the same request retried).
        logger.info("%s %s was issued concurrently", subject.kind, subject.number)


async def issue_opening_record(tender: Tender, service: DocumentService, *, actor: Actor | None) -> Document:
    """The tender's signed opening record, issued now unless it already was. The tender must be closed."""
    existing = await opening_record(tender)
    if existing is not None and existing.current_version > 0:
        return existing
    subject, context = await subjects.opening_record_document(tender, service.letterhead, await _opened_by(tender))
    await _issue(service, subject, context, actor)
    return await Document.get(kind=DocumentKind.TENDER_OPENING_RECORD, subject_id=tender.id)


async def issue_award_notices(tender: Tender, service: DocumentService, *, actor: Actor | None) -> list[Document]:
    """One signed award notice per supplier awarded in `tender` (in supplier code order), each issued unless it
    already was."""
    awards = await Award.filter(tender_id=tender.id).order_by("created_at", "id")
    by_supplier: dict[uuid.UUID, list[uuid.UUID]] = {}
    for award in awards:
        by_supplier.setdefault(award.supplier_id, []).append(award.id)
    notices = []
    for supplier in await Organization.filter(id__in=list(by_supplier)).order_by("code"):
        award_ids = by_supplier[supplier.id]
        existing = await Document.filter(kind=DocumentKind.AWARD_NOTICE, subject_id__in=award_ids).first()
        if existing is None or existing.current_version == 0:
            subject, context = await subjects.award_notice_document(tender, supplier, service.letterhead)
            await _issue(service, subject, context, actor)
            existing = await Document.get(kind=DocumentKind.AWARD_NOTICE, subject_id__in=award_ids)
        notices.append(existing)
    return notices


async def issue_missing_documents(clock: Clock, service: DocumentService) -> int:
    """Issue the opening records and award notices still missing for tenders closed within RETRY_WINDOW (their
    signing failed, or they were closed without a document service). Returns how many tenders were looked at.
    A tender that fails again is logged and left for the next run."""
    now = clock.now()
    tenders = await Tender.filter(status__in=[TenderStatus.CLOSED, TenderStatus.AWARDED],
                                  closed_at__gte=now - RETRY_WINDOW, closed_at__lte=now)
    have_records = set(await Document.filter(
        kind=DocumentKind.TENDER_OPENING_RECORD, subject_id__in=[t.id for t in tenders], current_version__gt=0
    ).values_list("subject_id", flat=True))
    for tender in tenders:
        try:
            if tender.id not in have_records:
                await issue_opening_record(tender, service, actor=None)
            if tender.status == TenderStatus.AWARDED:
                await issue_award_notices(tender, service, actor=None)
        except Exception:  # noqa: BLE001 - a sweep goes on with the other tenders; this one is retried next run
            logger.exception("the documents of tender %s could not be issued", tender.number)
    return len(tenders)
