"""Issuing, countersigning, storing and verifying documents through the workflows, on the test database (no GraphQL).

The session's demo world has document records without files; these tests issue real signed versions of some of its
contracts and orders, as the workflows will when a contract or an order is issued.
"""

from __future__ import annotations

import hashlib
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from domain.enums import DocumentFileRole, KeyKind, KeyStatus, OrgKind
from domain.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from domain.models import (
    AuditEvent,
    Contract,
    Document,
    DocumentFile,
    Organization,
    PurchaseOrder,
    Signature,
    SigningKey,
)
from workflows.documents import keyring, subjects
from workflows.documents.issuing import DocumentService
from workflows.documents.pki import MasterKey
from workflows.documents.registry import verify_file
from workflows.documents.signing import countersign_pdf
from workflows.documents.orphans import sweep_orphans
from workflows.documents.storage import LocalFileStore
from workflows.documents.verification import ProblemCode

from tests.conftest import supplier_actor

pytestmark = pytest.mark.usefixtures("demo")


async def issue_contract(service: DocumentService, offset: int = 0) -> tuple[Contract, Document]:
    contract = await Contract.all().order_by("number").offset(offset).first()
    subject, context = await subjects.contract_document(contract, service.letterhead)
    version = await service.issue(subject, context, actor=None)
    return contract, await Document.get(id=version.document_id)


async def test_an_issued_contract_is_signed_stored_recorded_and_verifies(service: DocumentService) -> None:
    contract, document = await issue_contract(service)
    stored = await DocumentFile.get(version__document=document, version__version=document.current_version)
    assert stored.role is DocumentFileRole.ISSUED
    data = service.store.get(stored.storage_key)
    assert hashlib.sha256(data).hexdigest() == stored.sha256 and data.startswith(b"%PDF")
    report, issued = await verify_file(data, service.clock.now())
    assert report.ok, report.to_text()
    assert issued.number == contract.number and issued.role is DocumentFileRole.ISSUED
    assert [s.field_name for s in report.signatures] == ["buyer"]
    assert await AuditEvent.filter(action="document.issued", subject_id=document.id).exists()


async def test_the_supplier_countersigns_and_both_signatures_and_the_evidence_verify(service: DocumentService) -> None:
    contract, document = await issue_contract(service, offset=1)
    version = await service.countersign(document.id, await supplier_actor(contract.supplier_id))
    countersigned = service.store.get(version.storage_key)
    report, issued = await verify_file(countersigned, service.clock.now())
    assert report.ok, report.to_text()
    assert [s.field_name for s in report.signatures] == ["buyer", "supplier"]
    assert issued.role is DocumentFileRole.COUNTERSIGNED
    evidence = await DocumentFile.get(version_id=version.id, role=DocumentFileRole.EVIDENCE)
    evidence_report, evidence_issued = await verify_file(service.store.get(evidence.storage_key),
                                                         service.clock.now())
    assert evidence_report.ok and evidence_issued.role is DocumentFileRole.EVIDENCE
    assert await Signature.filter(version_id=version.id).count() == 2
    # Once is enough; and only the supplier the document is addressed to may sign it.
    with pytest.raises(IllegalTransition):
        await service.countersign(document.id, await supplier_actor(contract.supplier_id))
    other = await Organization.filter(kind=OrgKind.SUPPLIER).exclude(id=contract.supplier_id).first()
    contract2, document2 = await issue_contract(service, offset=2)
    if contract2.supplier_id == other.id:
        other = await Organization.filter(kind=OrgKind.SUPPLIER).exclude(
            id__in=[contract.supplier_id, contract2.supplier_id]).first()
    with pytest.raises(NotFound):
        await service.countersign(document2.id, await supplier_actor(other.id))


async def test_the_pdf_passes_poppler_pdfsig_with_the_portal_root_trusted(service: DocumentService,
                                                                         tmp_path: Path) -> None:
    contract, document = await issue_contract(service, offset=3)
    version = await service.countersign(document.id, await supplier_actor(contract.supplier_id))
    pdf = tmp_path / "contract.pdf"
    pdf.write_bytes(service.store.get(version.storage_key))
    root = tmp_path / "root.pem"
    root.write_text(await keyring.export_ca())
    nss = tmp_path / "nss"
    nss.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{nss}", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-A", "-n", "portal-root", "-t", "C,C,", "-i", str(root), "-d", f"sql:{nss}"],
                   check=True, capture_output=True)
    output = subprocess.run(["pdfsig", "-nssdir", f"sql:{nss}", str(pdf)], capture_output=True, text=True).stdout
    assert output.count("Signature is Valid.") == 2, output
    assert output.count("Certificate is Trusted.") == 2, output


async def test_a_changed_byte_is_detected(service: DocumentService) -> None:
    _, document = await issue_contract(service, offset=4)
    stored = await DocumentFile.get(version__document=document, version__version=document.current_version)
    data = bytearray(service.store.get(stored.storage_key))
    position = data.index(b"/Type /Page") if b"/Type /Page" in data else len(data) // 3
    data[position + 1] ^= 0x01
    report, issued = await verify_file(bytes(data), service.clock.now())
    assert not report.ok and issued is None
    assert ProblemCode.NOT_ISSUED in report.codes


async def test_a_valid_signature_on_a_file_the_portal_never_issued_is_refused(service: DocumentService) -> None:
    contract, document = await issue_contract(service, offset=5)
    stored = await DocumentFile.get(version__document=document, version__version=document.current_version)
    identity, _ = await keyring.signing_identity(contract.supplier_id, service.master)
    forged = await countersign_pdf(service.store.get(stored.storage_key), identity, field_name="supplier",
                                   reason="signed outside the portal", location=None, signer_label="x", box=None,
                                   signing_time=service.clock.now(), timestamper=None)
    report, _ = await verify_file(forged, service.clock.now())
    assert report.codes == {ProblemCode.NOT_ISSUED}


async def test_rotation_keeps_old_documents_valid_and_revocation_stops_later_signatures(
        service: DocumentService) -> None:
    order = await PurchaseOrder.filter(status="CONFIRMED").order_by("number").first()
    subject, context = await subjects.purchase_order_document(order, service.letterhead)
    version = await service.issue(subject, context, actor=None)
    supplier = await Organization.get(id=order.supplier_id)
    old_key = await SigningKey.get(organization=supplier, status=KeyStatus.ACTIVE, kind=KeyKind.SIGNING)
    old_identity, _ = await keyring.signing_identity(supplier.id, service.master)
    countersigned = await service.countersign(version.document_id, await supplier_actor(supplier.id))
    data = service.store.get(countersigned.storage_key)

    new_key = await keyring.rotate_organization_key(supplier, service.master, service.clock.now())
    assert new_key.fingerprint != old_key.fingerprint
    assert (await SigningKey.get(id=old_key.id)).status is KeyStatus.RETIRED
    report, _ = await verify_file(data, service.clock.now())
    assert report.ok, report.to_text()

    # Revoke the new key; a signature it made before still verifies, one made after does not.
    later = service.clock.now() + timedelta(hours=1)
    await keyring.revoke_organization_key(supplier, "key leaked with a laptop", later)
    with pytest.raises(ValidationFailed):
        await keyring.revoke_organization_key(supplier, "", later)
    with pytest.raises(IllegalTransition):
        await keyring.signing_identity(supplier.id, service.master)
    stolen_identity, _ = await _identity_of(new_key, service.master)
    stored = await DocumentFile.get(version_id=version.id, role=DocumentFileRole.ISSUED)
    after = await countersign_pdf(service.store.get(stored.storage_key), stolen_identity, field_name="supplier",
                                  reason="after revocation", location=None, signer_label="x", box=None,
                                  signing_time=later + timedelta(minutes=5), timestamper=None)
    report, _ = await verify_file(after, later + timedelta(minutes=10))
    assert ProblemCode.REVOKED in report.codes
    # Back to a usable key for later tests, valid from the service clock's time, at which they sign.
    await keyring.rotate_organization_key(supplier, service.master, service.clock.now())
    assert old_identity.certificate != stolen_identity.certificate


async def _identity_of(key: SigningKey, master: MasterKey):  # noqa: ANN202
    from workflows.documents.keyring import _certificate, _pair  # the key as a thief holding the master key has it
    from workflows.documents.signing import SigningIdentity

    root = await SigningKey.get(kind=KeyKind.ROOT, status=KeyStatus.ACTIVE)
    return SigningIdentity.from_key_pair(_pair(key, master), _certificate(root)), key


async def test_the_same_content_twice_is_a_conflict_and_leaves_only_an_orphan_file(service: DocumentService) -> None:
    contract = await Contract.all().order_by("number").offset(6).first()
    subject, context = await subjects.contract_document(contract, service.letterhead)
    await service.issue(subject, context, actor=None)
    files_before = {key for key, _ in service.store.keys()}
    rows_before = await DocumentFile.all().count()
    with pytest.raises(Conflict):
        await service.issue(subject, context, actor=None)
    assert await DocumentFile.all().count() == rows_before  # no row for the refused version
    orphans = {key for key, _ in service.store.keys()} - files_before
    assert len(orphans) == 1  # its file was stored first, durably, and nothing points at it
    referenced = await DocumentFile.all().values_list("storage_key", flat=True)
    assert not await sweep_orphans(service.store, now=datetime.now().timestamp() + 1)  # younger than an hour: kept
    removed = await sweep_orphans(service.store, older_than_s=0, now=datetime.now().timestamp() + 1)
    assert orphans <= set(removed)  # (other tests' refused versions may have left orphans of their own)
    for key in referenced:  # every row still has its file
        assert service.store.exists(key)


def test_the_local_store_is_content_addressed_and_refuses_foreign_keys(tmp_path: Path) -> None:
    store = LocalFileStore(tmp_path)
    key = store.put(b"%PDF-1.7 test")
    assert key == hashlib.sha256(b"%PDF-1.7 test").hexdigest() + ".pdf"
    assert store.put(b"%PDF-1.7 test") == key and store.get(key) == b"%PDF-1.7 test"
    assert not list(tmp_path.glob("**/.incoming-*"))
    for bad in ("../../etc/passwd", "x.pdf", key.upper()):
        with pytest.raises(Exception, match="not a storage key"):
            store.get(bad)


async def test_keys_refuse_a_wrong_master_key(service: DocumentService) -> None:
    from workflows.documents.pki import MasterKeyError

    buyer = await Organization.get(kind=OrgKind.BUYER)
    with pytest.raises(MasterKeyError):
        await keyring.signing_identity(buyer.id, MasterKey.generate())
    with pytest.raises(MasterKeyError):
        await keyring.init_keys(MasterKey.generate(), service.clock.now())
