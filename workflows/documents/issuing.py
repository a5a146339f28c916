"""Issuing a document (render, buyer's signature, store, record) and the supplier's countersignature.

Each step that changes the database is one transaction with its audit event. Files are stored (durably) before the
rows that point at them are written, so a crash leaves at worst an orphaned file, which the scheduler sweeps
(`workflows.documents.orphans`).
Rendering runs in the renderer's worker processes, never on the event loop.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from pyhanko.sign.timestamps import TimeStamper
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import DocumentFileRole, DocumentKind, OrgKind
from domain.errors import Conflict, IllegalTransition, NotFound
from domain.models import AuditEvent, Document, DocumentFile, DocumentVersion, Organization, Signature, User
from workflows.audit import PendingEvent, record_events
from workflows.documents import keyring
from workflows.documents.contexts import (
    DocumentContext,
    EvidenceContext,
    EvidenceEvent,
    EvidenceVersion,
    Letterhead,
    VerificationBlock,
)
from workflows.documents.pki import MasterKey
from workflows.documents.render import RenderedPdf
from workflows.documents.renderer import DocumentRenderer
from workflows.documents.signing import countersign_pdf, sign_pdf
from workflows.documents.storage import FileStore

PLACEHOLDER_SHA256 = "0" * 64
# What runs inside the transaction that records an issued version: the subject's own state change.
Within = Callable[[BaseDBAsyncClient, DocumentVersion], Awaitable[None]]
BUYER_LABEL = "采购方 Buyer"
SUPPLIER_LABEL = "供应商 Supplier"
PORTAL_LABEL = "平台存证 Portal record"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal | date | datetime | uuid.UUID):
        return str(value) if not isinstance(value, date | datetime) else value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} has no canonical form")


def canonical_content(context: DocumentContext) -> bytes:
    """The document's content as canonical JSON: everything it prints, its number included, except the hash and the
    address in its own verification block."""
    data = dataclasses.asdict(context)
    data.pop("verification", None)
    data["number"] = context.verification.number  # two documents alike but for their numbers are two documents
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      default=_jsonable).encode("utf-8")


def with_verification(context: DocumentContext, verify_url: str) -> tuple[DocumentContext, str]:
    """The context with its verification block filled in, and the sha256 of its canonical content."""
    content_sha256 = hashlib.sha256(canonical_content(context)).hexdigest()
    block = VerificationBlock(number=context.verification.number, content_sha256=content_sha256,
                              verify_url=verify_url)
    return dataclasses.replace(context, verification=block), content_sha256


def placeholder_verification(number: str) -> VerificationBlock:
    """What a workflow puts in a context it builds; `issue_document` replaces it with the real block."""
    return VerificationBlock(number=number, content_sha256=PLACEHOLDER_SHA256, verify_url="")


@dataclass(frozen=True)
class Subject:
    """What a document is about: the record it renders, and the supplier it is addressed to (None: buyer only)."""

    kind: DocumentKind
    subject_type: str
    subject_id: uuid.UUID
    number: str
    title: str
    supplier_id: uuid.UUID | None


class DocumentService:
    """Everything issuing needs, passed in once: where files go, how to render, the keys, the clock, the TSA."""

    def __init__(self, *, store: FileStore, renderer: DocumentRenderer, master: MasterKey, clock: Clock,
                 letterhead: Letterhead, verify_url: str, timestamper: TimeStamper | None = None) -> None:
        self.store = store
        self.renderer = renderer
        self.master = master
        self.clock = clock
        self.letterhead = letterhead
        self.verify_url = verify_url
        self.timestamper = timestamper

    async def issue(self, subject: Subject, context: DocumentContext, *, actor: Actor | None,
                    within: Within | None = None) -> DocumentVersion:
        """Render `context`, sign it as the buyer, store the file and record a new version of the subject's document.

        A subject's first issue creates its document; a later one (a revised statement) adds version n + 1.
        `within(connection, version)` runs inside the transaction that records the version (the issuing state
        change and the acknowledgement linked to the document), so the document is recorded if and only if they
        are; rendering and signing happen before that transaction."""
        final, content_sha256 = with_verification(context, self.verify_url)
        rendered = await self.renderer.render(subject.kind, final)
        extra = {"within": within} if within is not None else {}
        return await self.record_rendered(subject, content_sha256, rendered, actor=actor, **extra)

    async def record_rendered(self, subject: Subject, content_sha256: str, rendered: RenderedPdf, *,
                              actor: Actor | None, within: Within | None = None) -> DocumentVersion:
        """Sign a rendered PDF whose content hashes to `content_sha256` and record it (the second half of `issue`)."""
        buyer = await Organization.get(kind=OrgKind.BUYER)
        identity, key = await keyring.signing_identity(buyer.id, self.master)
        now = self.clock.now()
        boxes = {slot: [box.page_index, box.x1, box.y1, box.x2, box.y2]
                 for slot, box in rendered.signature_boxes.items()}
        pdf = await sign_pdf(
            rendered.pdf, identity, field_name="buyer", reason=f"签发 Issued {subject.number}", location=None,
            signer_label=BUYER_LABEL, box=tuple(boxes["buyer"]) if "buyer" in boxes else None, signing_time=now,
            timestamper=self.timestamper,
        )
        storage_key = self.store.put(pdf)
        file_sha256 = hashlib.sha256(pdf).hexdigest()
        async with in_transaction() as connection:
            document = await Document.filter(kind=subject.kind, subject_id=subject.subject_id).using_db(
                connection).select_for_update().first()
            if document is None:
                document = await Document.create(
                    kind=subject.kind, number=subject.number, title=subject.title,
                    subject_type=subject.subject_type, subject_id=subject.subject_id,
                    supplier_id=subject.supplier_id, current_version=0, created_at=now, using_db=connection)
            if await DocumentVersion.filter(sha256=content_sha256).using_db(connection).exists():
                raise Conflict(f"{subject.number}: a version with this exact content was already issued")
            version = await DocumentVersion.create(
                document=document, version=document.current_version + 1, sha256=content_sha256, size=len(pdf),
                storage_key=storage_key, created_by_id=actor.user_id if actor else None, signature_boxes=boxes,
                created_at=now, using_db=connection)
            stored = await DocumentFile.create(version=version, role=DocumentFileRole.ISSUED, sha256=file_sha256,
                                               size=len(pdf), storage_key=storage_key, using_db=connection)
            await Signature.create(
                version=version, file=stored, field_name="buyer", signer_org=buyer,
                signer_user_id=actor.user_id if actor else None, certificate_fingerprint=key.fingerprint,
                signed_at=now, reason=f"签发 Issued {subject.number}", using_db=connection)
            document.current_version = version.version
            await document.save(using_db=connection, update_fields=["current_version", "updated_at"])
            await record_events(connection, [PendingEvent(
                now, actor, "document.issued", "Document", document.id, supplier_id=subject.supplier_id,
                data={"number": subject.number, "kind": subject.kind.value, "version": version.version,
                      "content_sha256": content_sha256, "file_sha256": file_sha256},
            )])
            if within is not None:
                await within(connection, version)
        return version

    async def countersign(self, document_id: uuid.UUID, actor: Actor, *, reason: str = "",
                          within: Callable[[BaseDBAsyncClient], Awaitable[None]] | None = None) -> DocumentVersion:
        """The supplier's acceptance: its signature added to the current version as an incremental update, then the
        certificate of completion sealed by the portal. Only the supplier the document is addressed to may sign.

        `within` runs inside the transaction that records the signature (the acceptance's state changes), so the
        signature is recorded if and only if they are."""
        document = await Document.get_or_none(id=document_id)
        if document is None or not actor.is_supplier or document.supplier_id != actor.org_id:
            raise NotFound("no such document", field="documentId")
        version = await DocumentVersion.get_or_none(document=document, version=document.current_version)
        if version is None or not version.storage_key:
            raise IllegalTransition(f"{document.number} has no issued file to countersign", field="documentId")
        if await Signature.filter(version=version, signer_org_id=actor.org_id).exists():
            raise IllegalTransition(f"{document.number} version {version.version} is already countersigned",
                                    field="documentId")
        identity, key = await keyring.signing_identity(actor.org_id, self.master)
        now = self.clock.now()
        reason = reason or f"确认 Accepted {document.number}"
        box = version.signature_boxes.get("supplier")
        pdf = await countersign_pdf(
            self.store.get(version.storage_key), identity, field_name="supplier", reason=reason, location=None,
            signer_label=SUPPLIER_LABEL, box=tuple(box) if box else None, signing_time=now,
            timestamper=self.timestamper,
        )
        storage_key = self.store.put(pdf)
        file_sha256 = hashlib.sha256(pdf).hexdigest()
        async with in_transaction() as connection:
            # The conditional update detects a concurrent countersignature of the same version.
            updated = await DocumentVersion.filter(id=version.id, storage_key=version.storage_key).using_db(
                connection).update(storage_key=storage_key, size=len(pdf))
            if not updated:
                raise Conflict(f"{document.number} changed while it was being countersigned; try again")
            stored = await DocumentFile.create(version=version, role=DocumentFileRole.COUNTERSIGNED,
                                               sha256=file_sha256, size=len(pdf), storage_key=storage_key,
                                               using_db=connection)
            await Signature.create(
                version=version, file=stored, field_name="supplier", signer_org_id=actor.org_id,
                signer_user_id=actor.user_id, certificate_fingerprint=key.fingerprint, signed_at=now, reason=reason,
                using_db=connection)
            if within is not None:
                await within(connection)
            await record_events(connection, [PendingEvent(
                now, actor, "document.countersigned", "Document", document.id, supplier_id=document.supplier_id,
                data={"number": document.number, "version": version.version, "file_sha256": file_sha256},
            )])
        await self.seal_evidence(document, version)
        version.storage_key, version.size = storage_key, len(pdf)
        return version

    async def seal_evidence(self, document: Document, version: DocumentVersion) -> DocumentFile:
        """Render the certificate of completion (the document's audit trail and every file of the version with its
        hash and signer), sign it as the portal, and store it next to the version."""
        context = await self.evidence_context(document, version)
        rendered = await self.renderer.render_evidence(context)
        buyer = await Organization.get(kind=OrgKind.BUYER)
        identity, _ = await keyring.signing_identity(buyer.id, self.master)
        now = self.clock.now()
        pdf = await sign_pdf(rendered.pdf, identity, field_name="portal", reason=f"存证 Evidence {document.number}",
                             location=None, signer_label=PORTAL_LABEL, box=None, signing_time=now,
                             timestamper=self.timestamper)
        storage_key = self.store.put(pdf)
        async with in_transaction() as connection:
            stored = await DocumentFile.create(version=version, role=DocumentFileRole.EVIDENCE,
                                               sha256=hashlib.sha256(pdf).hexdigest(), size=len(pdf),
                                               storage_key=storage_key, using_db=connection)
            await record_events(connection, [PendingEvent(
                now, None, "document.evidence_sealed", "Document", document.id, supplier_id=document.supplier_id,
                data={"number": document.number, "version": version.version, "file_sha256": stored.sha256},
            )])
        return stored

    async def evidence_context(self, document: Document, version: DocumentVersion) -> EvidenceContext:
        events = await AuditEvent.filter(subject_type__in=[document.subject_type, "Document"],
                                         subject_id__in=[document.subject_id, document.id]).order_by("seq")
        users = {user.id: user for user in await User.filter(id__in=[e.actor_user_id for e in events
                                                                       if e.actor_user_id]).all()}
        rows = tuple(
            EvidenceEvent(at=event.created_at, actor=_person(users.get(event.actor_user_id)), action=event.action,
                          detail=_detail(event.data))
            for event in events
        )
        files = await DocumentFile.filter(version=version).exclude(role=DocumentFileRole.EVIDENCE).order_by("created_at")
        signatures = {s.file_id: s for s in await Signature.filter(version=version).prefetch_related("signer_org")}
        versions = tuple(
            EvidenceVersion(
                version=index + 1, sha256=stored.sha256, created_at=stored.created_at, size_bytes=stored.size,
                signed_by=signatures[stored.id].signer_org.name_zh if stored.id in signatures else "",
                certificate_sha256=signatures[stored.id].certificate_fingerprint if stored.id in signatures else "",
            )
            for index, stored in enumerate(files)
        )
        verification = VerificationBlock(number=document.number, content_sha256=version.sha256,
                                         verify_url=self.verify_url)
        return EvidenceContext(letterhead=self.letterhead, verification=verification, document_kind=document.kind,
                               generated_at=self.clock.now(), events=rows, versions=versions)


def _person(user: User | None) -> str:
    return f"{user.display_name} <{user.email}>" if user else "系统 System"


def _detail(data: dict[str, Any]) -> str:
    text = ", ".join(f"{key}={value}" for key, value in sorted(data.items()) if key not in {"file_sha256"})
    return text[:160]


async def document_file(document: Document, role: DocumentFileRole | None = None) -> DocumentFile | None:
    """The latest file of the document's current version (or of the given role)."""
    query = DocumentFile.filter(version__document=document, version__version=document.current_version)
    if role is not None:
        query = query.filter(role=role)
    else:
        query = query.exclude(role=DocumentFileRole.EVIDENCE)
    return await query.order_by("-created_at").first()
