"""`createProductionPlan` over GraphQL: typed lines or an ERP's CSV, each error code, permission denied."""

from __future__ import annotations

import uuid

import pytest

from domain.models import ProductionPlan

from tests.conftest import Api
from tests.schema.plans.conftest import ERRORS, PLAN_FIELDS, REVISION_FIELDS
from tests.support.procurement import ACCOUNTING, ADMIN, PROCUREMENT, SUPPLIER_A, codes, mutate, supplier

pytestmark = pytest.mark.usefixtures("demo")

CREATE = f"mutation($input: CreateProductionPlanInput!) {{ createProductionPlan(input: $input) {{ " \
         f"plan {{ {PLAN_FIELDS} draftRevision {{ {REVISION_FIELDS} }} }} {ERRORS} }} }}"


async def lines() -> list[dict]:
    return [{"itemCode": "FB-M8-30", "itemName": "六角螺栓 / Hex bolt", "plant": "SZ1", "week": "2031-W20",
             "quantity": "1200", "expectedSupplierId": str((await supplier("SUP-A")).id)},
            {"itemCode": "SPARE", "itemName": "备件 / Spare", "plant": "SZ1", "week": "2031-W21", "quantity": "5.5",
             "unit": "SET"}]


async def test_procurement_creates_a_draft_from_lines_and_a_retry_returns_it(api: Api, token_for) -> None:  # noqa: ANN001
    variables = {"input": {"title": "2031 年 5 月计划 / May 2031", "lines": await lines(), "idempotencyKey": "p-31-5"}}
    payload = await mutate(api, await token_for(PROCUREMENT), CREATE, variables)
    assert payload["errors"] == []
    plan = payload["plan"]
    assert (plan["status"], plan["horizonStart"], plan["horizonEnd"]) == ("DRAFT", "2031-05-12", "2031-05-25")
    assert [(l["lineNo"], l["week"], l["quantity"], l["unit"], l["expectedSupplier"])
            for l in plan["draftRevision"]["lines"]] == [
        (1, "2031-W20", "1200.000", "PCS", {"code": "SUP-A"}), (2, "2031-W21", "5.500", "SET", None)]
    again = await mutate(api, await token_for(PROCUREMENT), CREATE, variables)
    assert again["plan"]["id"] == plan["id"]


async def test_a_plan_from_an_erp_csv_and_the_errors_of_a_bad_one(api: Api, token_for) -> None:  # noqa: ANN001
    good = "物料编码,物料名称,工厂,周次,数量,供应商\nFB-M8-30,螺栓 / Bolt,SZ1,2031-W22,100,SUP-A\n" \
           "PL-CAP,端盖 / Cap,SZ2,2031-W23,200,SUP-B\n"
    payload = await mutate(api, await token_for(ADMIN), CREATE, {"input": {"title": "ERP", "csv": good}})
    assert payload["errors"] == []
    assert [l["expectedSupplier"]["code"] for l in payload["plan"]["draftRevision"]["lines"]] == ["SUP-A", "SUP-B"]
    before = await ProductionPlan.all().count()
    bad = "物料编码,物料名称,工厂,周次,数量,供应商\nFB-M8-30,螺栓,SZ1,2031-W99,100,SUP-A\n" \
          "PL-CAP,端盖,SZ2,2031-W23,lots,SUP-Z\n"
    refused = await mutate(api, await token_for(ADMIN), CREATE, {"input": {"title": "ERP", "csv": bad}})
    assert refused["plan"] is None
    assert codes(refused) == [("INVALID_WEEK", "csv[2].week"), ("INVALID", "csv[3].quantity")]
    assert refused["errors"][0]["message"].startswith("row 2, column 周次")
    unknown = "item code,item name,plant,week,quantity,supplier\nA,B,C,2031-W22,1,SUP-Z\n"
    refused = await mutate(api, await token_for(ADMIN), CREATE, {"input": {"title": "ERP", "csv": unknown}})
    assert codes(refused) == [("UNKNOWN_SUPPLIER", "csv[2].supplier")]
    assert await ProductionPlan.all().count() == before  # nothing half-imported


async def test_refusals_name_their_field(api: Api, token_for) -> None:  # noqa: ANN001
    good = await lines()
    cases = [
        ({"title": "t"}, [("INVALID", "lines")]),
        ({"title": "t", "lines": good, "csv": "a,b"}, [("INVALID", "lines")]),
        ({"title": "", "lines": good}, [("INVALID", "title")]),
        ({"title": "t", "lines": []}, [("NO_LINES", "lines")]),
        ({"title": "t", "lines": [{**good[0], "week": "2031-W60"}]}, [("INVALID_WEEK", "lines[0].week")]),
        ({"title": "t", "lines": [good[0], {**good[1], "quantity": "-3"}]},
         [("QUANTITY_NOT_POSITIVE", "lines[1].quantity")]),
        ({"title": "t", "lines": [{**good[0], "expectedSupplierId": str(uuid.uuid4())}]},
         [("NOT_FOUND", "lines[0].expectedSupplierId")]),
        ({"title": "t", "lines": good, "horizonStart": "2031-06-01", "horizonEnd": "2031-06-30"},
         [("WEEK_OUTSIDE_HORIZON", "lines[0].week")]),
        ({"title": "t", "lines": good, "horizonStart": "2031-06-01", "horizonEnd": "2031-05-01"},
         [("INVALID", "horizonEnd")]),
    ]
    token = await token_for(PROCUREMENT)
    for input, expected in cases:
        assert codes(await mutate(api, token, CREATE, {"input": input})) == expected, input


@pytest.mark.parametrize("email", [ACCOUNTING, SUPPLIER_A])
async def test_only_procurement_and_admins_create_plans(api: Api, token_for, email: str) -> None:  # noqa: ANN001
    payload = await mutate(api, await token_for(email), CREATE, {"input": {"title": "t", "lines": await lines()}})
    assert codes(payload) == [("PERMISSION_DENIED", None)]
