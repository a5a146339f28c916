"""The demo's signed documents: keys for every organisation, every document of the seeded history rendered and signed
by the buyer, countersigned by the supplier where the supplier accepted it, and every signed document (the story's,
which its workflows signed, and the history's) written to a folder.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from domain.actors import Actor
from domain.enums import AcknowledgementStatus, DocumentFileRole, DocumentKind, OrgKind, Role
from domain.models import Acknowledgement, Document, Organization, User
from workflows.demo.builder import DemoSummary, PendingDocument
from workflows.documents import keyring, subjects
from workflows.documents.issuing import DocumentService, document_file
from workflows.documents.pki import MasterKey

COUNTERSIGNED_KINDS = frozenset({DocumentKind.CONTRACT, DocumentKind.PURCHASE_ORDER, DocumentKind.STATEMENT})
IN_FLIGHT = 4  # enough requests to keep every render worker busy while this process signs and stores


async def prepare_keys(master: MasterKey, service: DocumentService) -> None:
    """The portal's root and the buyer's key, and each supplier's key, as onboarding would issue it."""
    await keyring.init_keys(master, service.clock.now())
    for supplier in await Organization.filter(kind=OrgKind.SUPPLIER).order_by("code"):
        await keyring.ensure_organization_key(supplier, master, service.clock.now())


async def _build(pending: PendingDocument, service: DocumentService, opened_by: tuple[str, ...]
                 ) -> list[tuple[Any, Any]]:
    subject = pending.subject
    letterhead = service.letterhead
    if pending.kind is DocumentKind.CONTRACT:
        return [await subjects.contract_document(subject, letterhead)]
    if pending.kind is DocumentKind.PURCHASE_ORDER:
        return [await subjects.purchase_order_document(subject, letterhead)]
    if pending.kind is DocumentKind.STATEMENT:
        return [await subjects.statement_document(subject, letterhead)]
    if pending.kind is DocumentKind.AWARD_NOTICE:
        supplier = await Organization.get(code=pending.supplier_code)
        return [await subjects.award_notice_document(subject, supplier, letterhead)]
    if pending.kind is DocumentKind.TENDER_OPENING_RECORD:
        return [await subjects.opening_record_document(subject, letterhead, opened_by)]
    # A plan revision: one copy per supplier it was sent to, each with only that supplier's lines.
    recipients = await subject.recipients.all().prefetch_related("supplier")
    return [await subjects.plan_revision_document(subject, recipient.supplier, letterhead)
            for recipient in recipients]


async def _supplier_actor(supplier_id: Any) -> Actor:
    user = await User.filter(organization_id=supplier_id).order_by("created_at").first()
    return Actor(user_id=user.id, org_id=supplier_id, org_kind=OrgKind.SUPPLIER,
                 roles=frozenset(Role(role) for role in user.roles), email=user.email)


async def issue_demo_documents(summary: DemoSummary, service: DocumentService, master: MasterKey,
                               console: Any | None = None) -> list[Document]:
    """Issue every document the seeded history listed; countersign those the supplier accepted. Returns them."""
    await prepare_keys(master, service)
    procurement = await User.get(email="procurement@buyer.example")
    opened_by = (f"{procurement.display_name} (采购 Procurement)",)
    work: list[tuple[PendingDocument, Any, Any]] = []
    for pending in summary.pending_documents:
        work.extend((pending, subject, context) for subject, context in await _build(pending, service, opened_by))
    done = 0
    slots = asyncio.Semaphore(IN_FLIGHT)

    async def issue_one(pending: PendingDocument, subject: Any, context: Any) -> Document:
        nonlocal done
        async with slots:
            version = await service.issue(subject, context, actor=None)
        document = await Document.get(id=version.document_id)
        # The acknowledgement points at the record the supplier answers (for a plan copy, the revision).
        await Acknowledgement.filter(subject_id=pending.subject.id, supplier_id=document.supplier_id,
                                     document_id=None).update(document_id=document.id)
        done += 1
        if console is not None and (done % 20 == 0 or done == len(work)):
            console.print(f"[dim]•[/dim] signed documents: {done}/{len(work)}")
        return document

    if console is not None:
        console.print(f"[dim]•[/dim] rendering and signing {len(work)} documents")
    documents = await asyncio.gather(*(issue_one(*item) for item in work))
    accepted = [
        document for document in documents
        if document.kind in COUNTERSIGNED_KINDS and await Acknowledgement.filter(
            document_id=document.id, status=AcknowledgementStatus.ACKNOWLEDGED).exists()
    ]
    if console is not None:
        console.print(f"[dim]•[/dim] countersigning {len(accepted)} accepted documents as their suppliers")

    async def countersign_one(document: Document) -> None:
        async with slots:
            await service.countersign(document.id, await _supplier_actor(document.supplier_id))

    await asyncio.gather(*(countersign_one(document) for document in accepted))
    await summary.count_records()
    return list(documents)


async def signed_documents() -> list[Document]:
    """Every document with a signed file, by kind and number."""
    return await Document.filter(current_version__gt=0).order_by("kind", "number")


async def write_documents(documents: list[Document], service: DocumentService, folder: Path) -> list[Path]:
    """Each document's latest file as `<kind>-<number>.pdf` (DESIGN section 5), and its certificate of completion,
    where it has one, as `<kind>-<number>-evidence.pdf`."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for document in documents:
        await document.refresh_from_db()
        name = f"{document.kind.file_prefix}-{document.number}"
        for stored, path in ((await document_file(document), folder / f"{name}.pdf"),
                             (await document_file(document, DocumentFileRole.EVIDENCE),
                              folder / f"{name}-evidence.pdf")):
            if stored is not None:
                path.write_bytes(service.store.get(stored.storage_key))
                written.append(path)
    return written
