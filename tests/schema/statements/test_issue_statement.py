"""`issueStatement` over GraphQL, and the supplier's confirmation through `acknowledge` (countersigning)."""

from __future__ import annotations

import pytest

from domain.enums import DocumentKind
from domain.models import Acknowledgement, Document, Signature

from tests.conftest import Api
from tests.schema.statements.conftest import ERRORS, STATEMENT_FIELDS, draft_statement, issued_statement
from tests.support.procurement import ACCOUNTING, AUDITOR, PROCUREMENT, SUPPLIER_A, SUPPLIER_B, codes, mutate

pytestmark = pytest.mark.usefixtures("demo")

ISSUE = f"mutation($id: ID!) {{ issueStatement(input: {{id: $id}}) {{ statement {{ {STATEMENT_FIELDS} issuedAt }} " \
        f"{ERRORS} }} }}"
ACKNOWLEDGE = "mutation($id: ID!) { acknowledge(input: {id: $id, accept: true}) { acknowledgement { status } " \
              "errors { code message field } } }"
MY_STATEMENT = "query($id: ID!) { statement(id: $id) { status confirmedAt } }"


async def test_accounting_issues_and_the_supplier_confirms_by_countersigning(signing_api: Api, token_for) -> None:  # noqa: ANN001
    draft = await draft_statement("SUP-A", "2023-04")
    payload = await mutate(signing_api, await token_for(ACCOUNTING), ISSUE, {"id": str(draft.id)})
    assert payload["errors"] == [] and payload["statement"]["status"] == "ISSUED"
    assert payload["statement"]["issuedAt"] is not None
    document = await Document.get(kind=DocumentKind.STATEMENT, subject_id=draft.id)
    ack = await Acknowledgement.get(subject_id=draft.id)
    assert ack.document_id == document.id
    answer = await mutate(signing_api, await token_for(SUPPLIER_A), ACKNOWLEDGE, {"id": str(ack.id)})
    assert answer == {"acknowledgement": {"status": "ACKNOWLEDGED"}, "errors": []}
    seen = await signing_api.query(MY_STATEMENT, {"id": str(draft.id)}, token=await token_for(SUPPLIER_A))
    assert seen["statement"]["status"] == "CONFIRMED" and seen["statement"]["confirmedAt"]
    assert await Signature.filter(version__document_id=document.id).count() == 2


async def test_refusals(api: Api, signing_api: Api, token_for) -> None:  # noqa: ANN001
    draft = await draft_statement("SUP-B", "2023-05")
    # Without a signing key, nothing is issued.
    unsigned = await mutate(api, await token_for(ACCOUNTING), ISSUE, {"id": str(draft.id)})
    assert codes(unsigned) == [("SIGNING_UNAVAILABLE", None)]
    cases = [
        (SUPPLIER_B, [("NOT_FOUND", "id")]),  # its own draft: not sent yet, so not there
        (SUPPLIER_A, [("NOT_FOUND", "id")]),  # another supplier's
        (PROCUREMENT, [("NOT_FOUND", "id")]),
        (AUDITOR, [("PERMISSION_DENIED", None)]),
    ]
    for email, expected in cases:
        assert codes(await mutate(signing_api, await token_for(email), ISSUE, {"id": str(draft.id)})) == expected
    issued = await issued_statement("SUP-B", "2023-06")
    again = await mutate(signing_api, await token_for(ACCOUNTING), ISSUE, {"id": str(issued.id)})
    assert codes(again) == [("ILLEGAL_TRANSITION", "id")]
