"""`disputeStatement` over GraphQL: the supplier disputes lines with reasons; accounting revises and re-issues."""

from __future__ import annotations

import uuid

import pytest

from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement, StatementLine

from tests.conftest import Api
from tests.schema.statements.conftest import ERRORS, STATEMENT_FIELDS, at, issued_statement
from tests.schema.statements.test_generate_statement import GENERATE
from tests.support.procurement import ACCOUNTING, SUPPLIER_A, SUPPLIER_B, codes, mutate
from tests.support.statement_world import Delivery

pytestmark = pytest.mark.usefixtures("demo")

DISPUTE = f"mutation($input: DisputeStatementInput!) {{ disputeStatement(input: $input) {{ " \
          f"statement {{ {STATEMENT_FIELDS} }} {ERRORS} }} }}"


async def test_the_supplier_disputes_lines_and_a_revised_version_follows(api: Api, token_for) -> None:  # noqa: ANN001
    statement = await issued_statement("SUP-A", "2023-07", Delivery(at("2023-07-03T02:00:00"), "2", "10"),
                                       Delivery(at("2023-07-04T02:00:00"), "3", "10"))
    second = await StatementLine.get(statement_id=statement.id, line_no=2)
    payload = await mutate(api, await token_for(SUPPLIER_A), DISPUTE, {"input": {
        "id": str(statement.id), "lines": [{"lineId": str(second.id), "reason": "只到了 9 件 / only 9 arrived"}]}})
    assert payload["errors"] == [] and payload["statement"]["status"] == "DISPUTED"
    assert payload["statement"]["disputes"] == [{"reason": "只到了 9 件 / only 9 arrived",
                                                 "statementLine": {"lineNo": 2}}]
    assert (await Acknowledgement.get(subject_id=statement.id)).status is AcknowledgementStatus.REJECTED
    revised = await mutate(api, await token_for(ACCOUNTING), GENERATE, {"input": {
        "supplierId": str(statement.supplier_id), "period": "2023-07",
        "deductions": [{"description": "少 1 件 / one short", "amount": "3"}]}})
    assert revised["errors"] == []
    assert (revised["statement"]["version"], revised["statement"]["previous"]) == (
        2, {"id": str(statement.id), "number": statement.number})
    assert revised["statement"]["total"]["amount"] == "47.00"


async def test_refusals(api: Api, token_for) -> None:  # noqa: ANN001
    statement = await issued_statement("SUP-B", "2023-08")
    line = await StatementLine.get(statement_id=statement.id, line_no=1)
    elsewhere = await StatementLine.exclude(statement_id=statement.id).first()
    ok = [{"lineId": str(line.id), "reason": "价格不对 / wrong price"}]
    cases = [
        (ACCOUNTING, {"lines": ok}, [("PERMISSION_DENIED", None)]),
        (SUPPLIER_A, {"lines": ok}, [("NOT_FOUND", "id")]),  # another supplier's statement
        (SUPPLIER_B, {}, [("NOTHING_DISPUTED", "lines")]),
        (SUPPLIER_B, {"lines": [{"lineId": str(line.id), "reason": ""}]}, [("INVALID", "lines[0].reason")]),
        (SUPPLIER_B, {"lines": ok * 2}, [("DUPLICATE_LINE", "lines[1].lineId")]),
        (SUPPLIER_B, {"lines": [{"lineId": str(elsewhere.id), "reason": "x"}]}, [("NOT_FOUND", "lines[0].lineId")]),
        (SUPPLIER_B, {"lines": [{"lineId": str(uuid.uuid4()), "reason": "x"}]}, [("NOT_FOUND", "lines[0].lineId")]),
    ]
    for email, extra, expected in cases:
        payload = await mutate(api, await token_for(email), DISPUTE, {"input": {"id": str(statement.id), **extra}})
        assert codes(payload) == expected, (email, extra)
    first = await mutate(api, await token_for(SUPPLIER_B), DISPUTE,
                         {"input": {"id": str(statement.id), "reason": "整单 / the whole statement"}})
    assert first["errors"] == [] and first["statement"]["disputes"][0]["statementLine"] is None
    again = await mutate(api, await token_for(SUPPLIER_B), DISPUTE,
                         {"input": {"id": str(statement.id), "lines": ok}})
    assert codes(again) == [("ILLEGAL_TRANSITION", "id")]
