"""`addQualificationDocument`, `removeQualificationDocument` and the expiry fields of a supplier, over GraphQL."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from domain.clock import FrozenClock
from domain.models import Organization, QualificationDocument
from tests.conftest import client_for
from tests.schema.parties.conftest import ERRORS, mutate
from tests.schema.parties.test_suspend_supplier import REJECT
from workflows import qualification_documents

pytestmark = pytest.mark.usefixtures("demo")

ADD = f"""
mutation($input: AddQualificationDocumentInput!, $key: String) {{
  addQualificationDocument(input: $input, idempotencyKey: $key) {{
    qualificationDocument {{ id kind number title issuedOn expiresOn expiresInDays }}
    supplier {{ id qualificationDocuments {{ id }} }}
    {ERRORS}
  }}
}}"""
REMOVE = f"""
mutation($id: ID!) {{
  removeQualificationDocument(id: $id) {{ supplier {{ id qualificationDocuments {{ id }} }} {ERRORS} }}
}}"""
EXPIRING = """
query($id: ID!, $within: Int!, $expired: Boolean!) {
  supplier(id: $id) {
    expiringQualificationDocuments(withinDays: $within, includeExpired: $expired) { number expiresInDays }
  }
}"""
# 2026-11-23 20:00 UTC is the 24th in Shanghai, where expiry dates are counted.
NOW = datetime(2026, 11, 23, 20, 0, tzinfo=UTC)
TODAY = date(2026, 11, 24)


def document(supplier_id: str, **changes) -> dict:  # noqa: ANN003
    return {"supplierId": supplier_id, "kind": "ISO_9001", "number": f"ISO-{uuid.uuid4().hex[:8]}",
            "title": "ISO 9001:2015 质量管理体系认证", "issuedOn": "2024-01-10", "expiresOn": "2027-01-09", **changes}


def refusals(payload: dict) -> list[tuple[str, str | None]]:
    return [(e["code"], e["field"]) for e in payload["errors"]]


@pytest.fixture
async def dated_api(settings, demo):  # noqa: ANN001, ANN201
    """A client whose server's clock is NOW."""
    with client_for(settings, clock=FrozenClock(NOW), address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as client:
        async with client.client:
            yield client


async def test_procurement_and_the_suppliers_own_admin_add_documents(api, token_for, invite,  # noqa: ANN001
                                                                     supplier_admin_token) -> None:
    invited = await invite()
    for token in (await token_for("procurement@buyer.example"), await supplier_admin_token(invited)):
        request = document(invited.id)
        payload = await mutate(api, ADD, {"input": request}, token, "addQualificationDocument")
        assert payload["errors"] == []
        added = payload["qualificationDocument"]
        assert {k: added[k] for k in ("kind", "number", "issuedOn", "expiresOn")} == {
            k: request[k] for k in ("kind", "number", "issuedOn", "expiresOn")}
        assert added["id"] in {d["id"] for d in payload["supplier"]["qualificationDocuments"]}
    assert await QualificationDocument.filter(organization_id=invited.id).count() == 2


async def test_another_supplier_cannot_add_or_remove_documents(api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    supplier_a = await Organization.get(code="SUP-A")
    other = await token_for("sales@supplier-b.example")
    for supplier_id in (invited.id, str(supplier_a.id)):
        payload = await mutate(api, ADD, {"input": document(supplier_id)}, other, "addQualificationDocument")
        assert refusals(payload) == [("NOT_FOUND", "supplierId")] and payload["qualificationDocument"] is None
    added = await mutate(api, ADD, {"input": document(invited.id)}, await token_for("admin@buyer.example"),
                         "addQualificationDocument")
    payload = await mutate(api, REMOVE, {"id": added["qualificationDocument"]["id"]}, other,
                           "removeQualificationDocument")
    assert refusals(payload) == [("NOT_FOUND", "id")]
    assert await QualificationDocument.filter(id=added["qualificationDocument"]["id"]).exists()


async def test_accounting_cannot_keep_documents(api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    accounting = await token_for("accounting@buyer.example")
    payload = await mutate(api, ADD, {"input": document(invited.id)}, accounting, "addQualificationDocument")
    assert refusals(payload) == [("PERMISSION_DENIED", None)]
    added = await mutate(api, ADD, {"input": document(invited.id)}, await token_for("procurement@buyer.example"),
                         "addQualificationDocument")
    payload = await mutate(api, REMOVE, {"id": added["qualificationDocument"]["id"]}, accounting,
                           "removeQualificationDocument")
    assert refusals(payload) == [("PERMISSION_DENIED", None)]


async def test_refusals_name_their_code_and_field(dated_api, token_for, invite, monkeypatch) -> None:  # noqa: ANN001
    invited = await invite()
    token = await token_for("procurement@buyer.example")
    taken = document(invited.id)
    assert (await mutate(dated_api, ADD, {"input": taken}, token, "addQualificationDocument"))["errors"] == []
    cases = [
        (document(invited.id, title=""), ("INVALID", "title")),
        (document(invited.id, issuedOn="2026-11-25"), ("INVALID", "issuedOn")),
        (document(invited.id, issuedOn=None, expiresOn="2026-11-23"), ("DOCUMENT_EXPIRED", "expiresOn")),
        ({**taken, "title": "again"}, ("DUPLICATE_DOCUMENT", "number")),
        (document(str(uuid.uuid4())), ("NOT_FOUND", "supplierId")),
    ]
    for request, refusal in cases:
        payload = await mutate(dated_api, ADD, {"input": request}, token, "addQualificationDocument")
        assert refusals(payload) == [refusal], request
    monkeypatch.setattr(qualification_documents, "MAX_DOCUMENTS_PER_SUPPLIER", 1)
    payload = await mutate(dated_api, ADD, {"input": document(invited.id)}, token, "addQualificationDocument")
    assert refusals(payload) == [("TOO_MANY_DOCUMENTS", "supplierId")]
    await mutate(dated_api, REJECT, {"id": invited.id, "reason": "gone"}, token, "rejectSupplier")
    payload = await mutate(dated_api, ADD, {"input": document(invited.id)}, token, "addQualificationDocument")
    assert refusals(payload) == [("SUPPLIER_REJECTED", "supplierId")]


async def test_a_retried_addition_records_one_document(api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    token, request, key = await token_for("procurement@buyer.example"), document(invited.id), f"d-{uuid.uuid4()}"
    first = await mutate(api, ADD, {"input": request, "key": key}, token, "addQualificationDocument")
    again = await mutate(api, ADD, {"input": request, "key": key}, token, "addQualificationDocument")
    assert first["errors"] == again["errors"] == []
    assert first["qualificationDocument"]["id"] == again["qualificationDocument"]["id"]
    assert await QualificationDocument.filter(organization_id=invited.id).count() == 1


async def test_removing_a_document(api, token_for, invite, supplier_admin_token) -> None:  # noqa: ANN001
    invited = await invite()
    admin = await supplier_admin_token(invited)
    added = await mutate(api, ADD, {"input": document(invited.id)}, admin, "addQualificationDocument")
    document_id = added["qualificationDocument"]["id"]
    payload = await mutate(api, REMOVE, {"id": document_id}, admin, "removeQualificationDocument")
    assert payload["errors"] == [] and payload["supplier"] == {"id": invited.id, "qualificationDocuments": []}
    payload = await mutate(api, REMOVE, {"id": document_id}, admin, "removeQualificationDocument")
    assert refusals(payload) == [("NOT_FOUND", "id")]


async def test_documents_expiring_within_days(dated_api, token_for, invite) -> None:  # noqa: ANN001
    invited = await invite()
    token = await token_for("procurement@buyer.example")
    for number, expires in (("TODAY", TODAY), ("IN-10", TODAY + timedelta(days=10)),
                            ("IN-60", TODAY + timedelta(days=60)), ("NEVER", None)):
        request = document(invited.id, number=number, expiresOn=expires.isoformat() if expires else None)
        assert (await mutate(dated_api, ADD, {"input": request}, token, "addQualificationDocument"))["errors"] == []
    await QualificationDocument.filter(organization_id=invited.id, number="TODAY").update(
        expires_on=TODAY - timedelta(days=1))  # it expired yesterday meanwhile

    async def expiring(within: int, expired: bool = False) -> list[tuple[str, int]]:
        data = await dated_api.query(EXPIRING, {"id": invited.id, "within": within, "expired": expired}, token)
        return [(d["number"], d["expiresInDays"]) for d in data["supplier"]["expiringQualificationDocuments"]]

    assert await expiring(30) == [("IN-10", 10)]
    assert await expiring(30, expired=True) == [("TODAY", -1), ("IN-10", 10)]
    assert await expiring(60) == [("IN-10", 10), ("IN-60", 60)]
    body = (await dated_api.post(EXPIRING, {"id": invited.id, "within": 400, "expired": False}, token)).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
