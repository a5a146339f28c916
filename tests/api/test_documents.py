"""Documents over HTTP: the authorised download, GraphQL `verifyDocument` (multipart upload) and the public page."""

from __future__ import annotations

import json

import pytest

from domain.models import Contract, Document, Organization
from tests.conftest import Api, supplier_actor
from workflows.documents import subjects
from workflows.documents.issuing import DocumentService

VERIFY = "mutation($f: Upload!) { verifyDocument(file: $f) { result { ok issued sha256 document { kind number role } " \
         "signatures { fieldName organization intact valid trusted } problems { code message } } " \
         "errors { code message field } } }"


@pytest.fixture
async def countersigned(service: DocumentService) -> tuple[Document, bytes]:
    contract = await Contract.all().order_by("-number").first()
    subject, context = await subjects.contract_document(contract, service.letterhead)
    existing = await Document.get_or_none(kind=subject.kind, subject_id=subject.subject_id)
    if existing is None or existing.current_version < 2:
        version = await service.issue(subject, context, actor=None)
        await service.countersign(version.document_id, await supplier_actor(contract.supplier_id))
    document = await Document.get(kind=subject.kind, subject_id=subject.subject_id)
    from workflows.documents.issuing import document_file

    stored = await document_file(document)
    return document, service.store.get(stored.storage_key)


def upload(query: str, data: bytes, name: str = "contract.pdf") -> dict:
    return {
        "data": {"operations": json.dumps({"query": query, "variables": {"f": None}}), "map": json.dumps({"0": ["variables.f"]})},
        "files": {"0": (name, data, "application/pdf")},
    }


async def email_of(document: Document, own: bool) -> str:
    supplier = await Organization.get(id=document.supplier_id)
    if own:
        return f"sales@{supplier.code.lower().replace('sup-', 'supplier-')}.example"
    # Another of the demo's suppliers: other tests add suppliers of their own, without users.
    other = "SUP-B" if supplier.code == "SUP-A" else "SUP-A"
    return f"sales@{other.lower().replace('sup-', 'supplier-')}.example"


async def test_the_supplier_downloads_its_signed_pdf_with_its_name(api: Api, token_for, countersigned,
                                                                   settings) -> None:
    document, data = countersigned
    token = await token_for(await email_of(document, own=True))
    response = await api.client.get(f"/documents/{document.id}/pdf", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert f'filename="contract-{document.number}.pdf"' in response.headers["content-disposition"]
    assert response.content == data
    evidence = await api.client.get(f"/documents/{document.id}/evidence.pdf",
                                    headers={"Authorization": f"Bearer {token}"})
    assert evidence.status_code == 200 and evidence.content.startswith(b"%PDF")
    staff = await token_for("accounting@buyer.example")
    assert (await api.client.get(f"/documents/{document.id}/pdf",
                                 headers={"Authorization": f"Bearer {staff}"})).status_code == 200


async def test_another_supplier_or_nobody_gets_nothing(api: Api, token_for, countersigned) -> None:
    document, _ = countersigned
    other = await token_for(await email_of(document, own=False))
    foreign = await api.client.get(f"/documents/{document.id}/pdf", headers={"Authorization": f"Bearer {other}"})
    missing = await api.client.get("/documents/01a20874-0000-7000-8000-000000000000/pdf",
                                   headers={"Authorization": f"Bearer {other}"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
    assert (await api.client.get(f"/documents/{document.id}/pdf")).status_code == 401
    assert (await api.client.get("/documents/not-an-id/pdf",
                                 headers={"Authorization": f"Bearer {other}"})).status_code == 404
    procurement = await token_for("procurement@buyer.example")  # procurement does not read statements; contracts yes
    assert (await api.client.get(f"/documents/{document.id}/pdf",
                                 headers={"Authorization": f"Bearer {procurement}"})).status_code == 200


async def test_verify_document_reports_a_valid_issued_file(api: Api, token_for, countersigned) -> None:
    document, data = countersigned
    token = await token_for("auditor@buyer.example")
    response = await api.client.post("/graphql", headers={"Authorization": f"Bearer {token}"}, **upload(VERIFY, data))
    payload = response.json()["data"]["verifyDocument"]
    assert payload["errors"] == []
    result = payload["result"]
    assert result["ok"] and result["issued"]
    assert result["document"] == {"kind": "CONTRACT", "number": document.number, "role": "COUNTERSIGNED"}
    assert [s["fieldName"] for s in result["signatures"]] == ["buyer", "supplier"]
    assert all(s["intact"] and s["valid"] and s["trusted"] for s in result["signatures"])


async def test_verify_document_reports_tampering_and_refuses_bad_uploads(api: Api, token_for, countersigned) -> None:
    _, data = countersigned
    token = await token_for("auditor@buyer.example")
    headers = {"Authorization": f"Bearer {token}"}
    appended = data + b"\n% appended after the last signature\n"
    result = (await api.client.post("/graphql", headers=headers, **upload(VERIFY, appended))).json()
    assert not result["data"]["verifyDocument"]["result"]["ok"]
    codes = {p["code"] for p in result["data"]["verifyDocument"]["result"]["problems"]}
    assert "NOT_ISSUED" in codes and len(codes) >= 2, codes
    empty = (await api.client.post("/graphql", headers=headers, **upload(VERIFY, b""))).json()
    assert empty["data"]["verifyDocument"]["errors"][0]["field"] == "file"
    garbage = (await api.client.post("/graphql", headers=headers, **upload(VERIFY, b"not a pdf at all"))).json()
    assert {p["code"] for p in garbage["data"]["verifyDocument"]["result"]["problems"]} >= {"NOT_A_PDF"}
    anonymous = await api.client.post("/graphql", **upload(VERIFY, data))
    assert anonymous.status_code == 401


async def test_the_public_page_verifies_without_an_account(api: Api, countersigned) -> None:
    document, data = countersigned
    page = await api.client.get("/verify")
    assert page.status_code == 200 and "<form" in page.text and 'type="file"' in page.text
    report = await api.client.post("/verify", files={"file": ("合同.pdf", data, "application/pdf")})
    assert report.status_code == 200 and "VALID" in report.text and document.number in report.text
    as_json = await api.client.post("/verify", files={"file": ("c.pdf", data[:-200], "application/pdf")},
                                    headers={"Accept": "application/json"})
    assert as_json.status_code == 200 and as_json.json()["ok"] is False
    nothing = await api.client.post("/verify", data={"other": "x"})
    assert nothing.status_code == 400
    hostile = await api.client.post("/verify", files={"file": ("<script>alert(1)</script>.pdf", data,
                                                               "application/pdf")})
    assert "<script>alert(1)</script>" not in hostile.text  # the file name is escaped


async def test_an_upload_over_the_limit_is_refused_before_it_is_read(api: Api, settings) -> None:
    too_big = b"%PDF" + b"0" * (settings.max_upload_bytes + 10)
    response = await api.client.post("/verify", files={"file": ("big.pdf", too_big, "application/pdf")})
    assert response.status_code == 413


async def test_without_a_chinese_font_documents_are_unavailable_not_a_crash(settings, monkeypatch) -> None:  # noqa: ANN001
    from dataclasses import replace

    from api.documents import DocumentServices
    from domain.clock import SystemClock
    from domain.errors import DomainError
    from workflows.documents import render
    from workflows.documents.pki import MasterKey
    from workflows.documents.render_errors import FontMissing

    def no_font() -> tuple[str, ...]:
        raise FontMissing("no font with Chinese glyphs is installed; install fonts-noto-cjk")

    monkeypatch.setattr(render, "ensure_cjk_font", no_font)
    services = DocumentServices(replace(settings, master_key=MasterKey.generate().to_text()), SystemClock())
    told: list[DomainError] = []

    assert await services.get_if_available(told.append) is None
    assert [error.code for error in told] == ["SIGNING_UNAVAILABLE"] and "fonts-noto-cjk" in told[0].message
    await services.close()
