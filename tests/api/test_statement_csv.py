"""`GET /statements/{id}/csv`: the authorised CSV export, scoped like the GraphQL `statement` field."""

from __future__ import annotations

import csv
import io
import uuid

import pytest

from tests.conftest import Api
from tests.schema.statements.conftest import at, draft_statement, issued_statement
from tests.support.procurement import ACCOUNTING, ADMIN, AUDITOR, PROCUREMENT, SUPPLIER_A, SUPPLIER_B
from tests.support.statement_world import Delivery

pytestmark = pytest.mark.usefixtures("demo")


async def get(api: Api, statement_id, token: str | None):  # noqa: ANN001, ANN201
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await api.client.get(f"/statements/{statement_id}/csv", headers=headers)


async def test_accounting_and_the_supplier_download_it_as_excel_ready_csv(api: Api, token_for) -> None:  # noqa: ANN001
    statement = await issued_statement("SUP-A", "2024-01", Delivery(at("2024-01-08T02:00:00"), "0.355", "1001", "1"))
    for email in (ACCOUNTING, ADMIN, AUDITOR, SUPPLIER_A):
        response = await get(api, statement.id, await token_for(email))
        assert response.status_code == 200, (email, response.text)
        assert response.headers["content-type"] == "text/csv; charset=utf-8"
        assert f'filename="statement-{statement.number}.csv"' in response.headers["content-disposition"]
        assert response.headers["cache-control"] == "private, no-store"
        assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "对账单号 Statement" and rows[1][9] == "六角螺栓 M8×30 / Hex bolt M8x30"
    assert rows[-1][4:] == ["应付金额 Amount due", "", "", "", "", "", "", "", "", "355.00",
                            rows[-1][14]] and rows[-1][14].startswith("SUP-A ")


async def test_everyone_else_gets_the_answer_for_a_statement_that_does_not_exist(api: Api, token_for) -> None:  # noqa: ANN001
    issued = await issued_statement("SUP-B", "2024-02")
    draft = await draft_statement("SUP-A", "2024-02")
    cases = [
        (issued.id, SUPPLIER_A),  # another supplier's
        (draft.id, SUPPLIER_A),  # its own, not yet issued
        (issued.id, PROCUREMENT),  # a role that does not read statements
        (uuid.uuid4(), ACCOUNTING),
        ("not-an-id", ACCOUNTING),
    ]
    for statement_id, email in cases:
        response = await get(api, statement_id, await token_for(email))
        assert response.status_code == 404, (statement_id, email)
        assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await get(api, issued.id, await token_for(SUPPLIER_B))).status_code == 200
    assert (await get(api, issued.id, None)).status_code == 401
    assert (await get(api, issued.id, "pat_not-a-token")).status_code == 401
