"""`commitToPlan` over GraphQL: the supplier commits per line; each error code; another supplier's line."""

from __future__ import annotations

import uuid

import pytest

from workflows import planning

from tests.conftest import Api
from tests.schema.plans.conftest import ERRORS, plan_line, published_plan
from tests.support.procurement import (
    PROCUREMENT, SUPPLIER_A, SUPPLIER_B, actor, clock, codes, mutate, unsigned_documents,
)

pytestmark = pytest.mark.usefixtures("demo")

COMMIT = f"mutation($input: CommitToPlanInput!) {{ commitToPlan(input: $input) {{ " \
         f"commitments {{ quantity note supplier {{ code }} }} {ERRORS} }} }}"
LINE_COMMITMENTS = "query($id: ID!) { productionPlan(id: $id) { latestRevision { lines { itemCode " \
                   "commitments { quantity note supplier { code } } } } } }"


async def test_the_supplier_commits_and_commits_again(api: Api, token_for) -> None:  # noqa: ANN001
    plan, revision, lines = await published_plan()
    token = await token_for(SUPPLIER_A)
    variables = {"input": {"revisionId": str(revision.id), "lines": [
        {"lineId": str(lines["FB-M8-30"].id), "quantity": "800", "note": "产能受限 / limited capacity"}]}}
    payload = await mutate(api, token, COMMIT, variables)
    assert payload == {"commitments": [{"quantity": "800.000", "note": "产能受限 / limited capacity",
                                        "supplier": {"code": "SUP-A"}}], "errors": []}
    variables["input"]["lines"][0].update(quantity="1000", note="")
    assert (await mutate(api, token, COMMIT, variables))["commitments"][0]["quantity"] == "1000.000"
    seen = await api.query(LINE_COMMITMENTS, {"id": str(plan.id)}, token=await token_for(PROCUREMENT))
    by_item = {line["itemCode"]: line["commitments"] for line in seen["productionPlan"]["latestRevision"]["lines"]}
    assert by_item == {"FB-M8-30": [{"quantity": "1000.000", "note": "", "supplier": {"code": "SUP-A"}}],
                       "PL-CAP": []}


async def test_refusals(api: Api, token_for) -> None:  # noqa: ANN001
    plan, revision, lines = await published_plan(await plan_line("FB-M8-30", "2031-W40", "10"),
                                                  await plan_line("PL-CAP", "2031-W40", "20", "SUP-B"))
    mine, theirs = str(lines["FB-M8-30"].id), str(lines["PL-CAP"].id)

    def commit(line_id: str, quantity: str = "1", revision_id: str = str(revision.id)) -> dict:
        return {"input": {"revisionId": revision_id, "lines": [{"lineId": line_id, "quantity": quantity}]}}

    cases = [
        (PROCUREMENT, commit(mine), [("PERMISSION_DENIED", None)]),
        (SUPPLIER_A, commit(theirs), [("NOT_FOUND", "lines[0].lineId")]),  # another supplier's line
        (SUPPLIER_B, commit(mine), [("NOT_FOUND", "lines[0].lineId")]),
        (SUPPLIER_A, commit(mine, revision_id=str(uuid.uuid4())), [("NOT_FOUND", "revisionId")]),
        (SUPPLIER_A, commit(mine, "-1"), [("QUANTITY_NEGATIVE", "lines[0].quantity")]),
        (SUPPLIER_A, {"input": {"revisionId": str(revision.id), "lines": [{"lineId": mine, "quantity": "1"}] * 2}},
         [("DUPLICATE_LINE", "lines[1].lineId")]),
    ]
    for email, variables, expected in cases:
        assert codes(await mutate(api, await token_for(email), COMMIT, variables)) == expected, (email, variables)
    await planning.publish_plan_revision(await actor(PROCUREMENT), plan.id, clock=clock(),
                                         documents=await unsigned_documents())
    assert codes(await mutate(api, await token_for(SUPPLIER_A), COMMIT, commit(mine))) == [
        ("REVISION_SUPERSEDED", "revisionId")]
