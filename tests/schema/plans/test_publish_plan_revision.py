"""`publishPlanRevision` over GraphQL, and what it makes visible: the revision's changes and the gap per week."""

from __future__ import annotations

import pytest
from tortoise.transactions import in_transaction

from domain.enums import AcknowledgementStatus, DocumentKind
from domain.models import Acknowledgement, Document, PlanRecipient, ProductionPlan
from workflows import planning
from workflows import transitions as tt

from tests.conftest import Api
from tests.schema.plans.conftest import ERRORS, PLAN_FIELDS, REVISION_FIELDS, draft_plan, plan_line, published_plan
from tests.support.procurement import (
    ADMIN, AUDITOR, PROCUREMENT, SUPPLIER_A, SUPPLIER_B, actor, clock, codes, mutate, supplier,
    unsigned_documents,
)

pytestmark = pytest.mark.usefixtures("demo")

PUBLISH = f"mutation($input: PublishPlanRevisionInput!) {{ publishPlanRevision(input: $input) {{ " \
          f"plan {{ {PLAN_FIELDS} }} revision {{ {REVISION_FIELDS} }} {ERRORS} }} }}"
ACKNOWLEDGE = "mutation($id: ID!) { acknowledge(input: {id: $id, accept: true}) { acknowledgement { status } " \
              "errors { code message field } } }"
PLAN_VIEW = """query($id: ID!, $since: Int) { productionPlan(id: $id) {
  gap { week unit demand committed shortfall lineCount committedLineCount supplier { code } }
  latestRevision { revision changes(since: $since) { since changes { change itemCode week previousQuantity quantity
    expectedSupplier { code } } } }
} }"""


async def test_procurement_publishes_and_each_supplier_gets_its_signed_copy(signing_api: Api, token_for) -> None:  # noqa: ANN001
    plan = await draft_plan()
    payload = await mutate(signing_api, await token_for(PROCUREMENT), PUBLISH,
                           {"input": {"planId": str(plan.id), "note": "第一版 / first", "idempotencyKey": "pub-1"}})
    assert payload["errors"] == []
    assert payload["plan"]["status"] == "PUBLISHED"
    assert (payload["revision"]["revision"], payload["revision"]["note"]) == (1, "第一版 / first")
    assert len(payload["revision"]["lines"]) == 2
    recipients = await PlanRecipient.filter(plan_id=plan.id).prefetch_related("supplier")
    for recipient in recipients:
        document = await Document.get(kind=DocumentKind.PRODUCTION_PLAN, subject_id=recipient.id)
        ack = await Acknowledgement.get(subject_id=recipient.revision_id, supplier_id=recipient.supplier_id)
        assert ack.document_id == document.id and ack.status is AcknowledgementStatus.PENDING
    # The supplier acknowledges (countersigning its copy); a retry of the publication publishes nothing more.
    ack_a = await Acknowledgement.get(subject_id=recipients[0].revision_id, supplier_id=(await supplier("SUP-A")).id)
    answer = await mutate(signing_api, await token_for(SUPPLIER_A), ACKNOWLEDGE, {"id": str(ack_a.id)})
    assert answer == {"acknowledgement": {"status": "ACKNOWLEDGED"}, "errors": []}
    again = await mutate(signing_api, await token_for(PROCUREMENT), PUBLISH,
                         {"input": {"planId": str(plan.id), "note": "第一版 / first", "idempotencyKey": "pub-1"}})
    assert again["revision"]["id"] == payload["revision"]["id"]
    assert (await ProductionPlan.get(id=plan.id)).current_revision == 1


async def test_a_supplier_sees_what_changed_for_it_and_only_its_own_gap(api: Api, token_for) -> None:  # noqa: ANN001
    plan, first, _ = await published_plan(await plan_line("FB-M8-30", "2031-W30", "1000"),
                                          await plan_line("FN-M8", "2031-W30", "400"),
                                          await plan_line("PL-CAP", "2031-W30", "500", "SUP-B"))
    ack_a = await Acknowledgement.get(subject_id=first.id, supplier_id=(await supplier("SUP-A")).id)
    await mutate(api, await token_for(SUPPLIER_A), ACKNOWLEDGE, {"id": str(ack_a.id)})
    published = await planning.publish_plan_revision(
        await actor(PROCUREMENT), plan.id, clock=clock(), documents=await unsigned_documents(), lines=[
            await plan_line("FB-M8-30", "2031-W30", "1500"), await plan_line("PL-CAP", "2031-W31", "600", "SUP-B")])
    assert published.revision == 2

    view = (await api.query(PLAN_VIEW, {"id": str(plan.id)}, token=await token_for(SUPPLIER_A)))["productionPlan"]
    changes = view["latestRevision"]["changes"]
    assert changes["since"] == 1 and [(c["change"], c["itemCode"], c["previousQuantity"], c["quantity"])
                                      for c in changes["changes"]] == [
        ("CHANGED", "FB-M8-30", "1000.000", "1500.000"), ("REMOVED", "FN-M8", "400.000", None)]
    assert [(row["week"], row["supplier"]["code"], row["demand"]) for row in view["gap"]] == [
        ("2031-W30", "SUP-A", "1500.000")]

    staff = (await api.query(PLAN_VIEW, {"id": str(plan.id)}, token=await token_for(PROCUREMENT)))["productionPlan"]
    assert {(c["change"], c["itemCode"], c["week"]) for c in staff["latestRevision"]["changes"]["changes"]} == {
        ("CHANGED", "FB-M8-30", "2031-W30"), ("REMOVED", "FN-M8", "2031-W30"), ("REMOVED", "PL-CAP", "2031-W30"),
        ("ADDED", "PL-CAP", "2031-W31")}
    assert [(row["week"], row["supplier"]["code"], row["shortfall"]) for row in staff["gap"]] == [
        ("2031-W30", "SUP-A", "1500.000"), ("2031-W31", "SUP-B", "600.000")]
    # SUP-B did not acknowledge revision 1, which it was sent: its view of revision 2 compares with that one.
    view_b = (await api.query(PLAN_VIEW, {"id": str(plan.id)}, token=await token_for(SUPPLIER_B)))["productionPlan"]
    assert view_b["latestRevision"]["changes"]["since"] == 1
    bad = await api.post(PLAN_VIEW, {"id": str(plan.id), "since": 9}, token=await token_for(PROCUREMENT))
    assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_refusals(api: Api, signing_api: Api, token_for) -> None:  # noqa: ANN001
    plan = await draft_plan()
    assert codes(await mutate(api, await token_for(PROCUREMENT), PUBLISH, {"input": {"planId": str(plan.id)}})) == [
        ("SIGNING_UNAVAILABLE", None)]
    unassigned = [{"itemCode": "X", "itemName": "X", "plant": "SZ1", "week": "2031-W10", "quantity": "1"}]
    cases = [
        (SUPPLIER_A, {}, [("NOT_FOUND", "planId")]),
        (AUDITOR, {}, [("PERMISSION_DENIED", None)]),
        (ADMIN, {"note": "x" * 501}, [("INVALID", "note")]),
        (ADMIN, {"lines": unassigned}, [("NO_RECIPIENTS", "lines")]),
        (ADMIN, {"lines": [{**unassigned[0], "quantity": "0"}]}, [("QUANTITY_NOT_POSITIVE", "lines[0].quantity")]),
    ]
    for email, extra, expected in cases:
        payload = await mutate(signing_api, await token_for(email), PUBLISH,
                               {"input": {"planId": str(plan.id), **extra}})
        assert codes(payload) == expected, (email, extra)
    withdrawn = await ProductionPlan.get(id=plan.id)
    async with in_transaction() as connection:  # published, then withdrawn, as the workflow would
        await tt.apply(connection, tt.PLAN, withdrawn, "publish", actor=await actor(PROCUREMENT), at=clock().now())
        await tt.apply(connection, tt.PLAN, withdrawn, "withdraw", actor=await actor(PROCUREMENT), at=clock().now())
    payload = await mutate(signing_api, await token_for(PROCUREMENT), PUBLISH, {"input": {"planId": str(plan.id)}})
    assert codes(payload) == [("ILLEGAL_TRANSITION", "id")]
