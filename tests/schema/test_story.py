"""The story `portal demo` tells, told over GraphQL: two suppliers invited, activated and qualified; a production plan
published, revised and committed to; a tender, two sealed bids, the opening, the evaluation and a split award;
contracts issued and countersigned; an order confirmed, received and stated in a statement the supplier confirms; and
an order left unanswered past its deadline. Every step is a mutation of DESIGN section 5, by the user whose job it
is, on a clock the test moves forward, signing for real; at the end the countersigned contract verifies.

The suppliers are the test's own (the demo's records are not touched); the staff are the demo's users.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest

from domain.clock import FrozenClock
from workflows.demo import DEMO_PASSWORD
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.documents.issuing import DocumentService
from workflows.documents.registry import verify_file
from workflows.plan_lines import week_of

from tests.conftest import Api, client_for, login
from tests.schema.parties.conftest import ACTIVATE, INVITE, invitation_input, token_of
from tests.support.suppliers import PASSWORD

pytestmark = pytest.mark.usefixtures("demo")

ADMIN, PROCUREMENT, ACCOUNTING = "admin@buyer.example", "procurement@buyer.example", "accounting@buyer.example"
ERRORS = "errors { code message field }"
DOCUMENT = "document { id kind number fileName currentVersion downloadUrl " \
           "versions { version signatures { fieldName signerOrganization { code } } } }"

QUALIFY = f"mutation($id: ID!) {{ qualifySupplier(id: $id) {{ supplier {{ code qualificationStatus }} {ERRORS} }} }}"
CREATE_PLAN = f"""mutation($input: CreateProductionPlanInput!) {{
  createProductionPlan(input: $input) {{ plan {{ id number status }} {ERRORS} }} }}"""
PUBLISH_PLAN = f"""mutation($input: PublishPlanRevisionInput!) {{
  publishPlanRevision(input: $input) {{
    plan {{ status }} revision {{ id revision lines {{ id itemCode quantity expectedSupplier {{ code }} }} }} {ERRORS}
  }} }}"""
COMMIT = f"""mutation($input: CommitToPlanInput!) {{
  commitToPlan(input: $input) {{ commitments {{ quantity supplier {{ code }} }} {ERRORS} }} }}"""
ACKNOWLEDGEMENTS = """query($filter: AcknowledgementFilter) { acknowledgements(first: 50, filter: $filter) {
  edges { node { id kind status subjectNumber dueAt overdue } } } }"""
ACKNOWLEDGE = f"""mutation($input: AcknowledgeInput!) {{
  acknowledge(input: $input) {{ acknowledgement {{ status subjectNumber {DOCUMENT} }} {ERRORS} }} }}"""
CREATE_TENDER = f"""mutation($input: CreateTenderInput!) {{
  createTender(input: $input) {{ tender {{ id number status lines {{ id lineNo itemCode }} }} {ERRORS} }} }}"""
PUBLISH_TENDER = f"""mutation($input: PublishTenderInput!) {{
  publishTender(input: $input) {{ tender {{ status invitations {{ supplier {{ code }} }} }} {ERRORS} }} }}"""
SUBMIT_BID = f"""mutation($input: SubmitBidInput!) {{
  submitBid(input: $input) {{ bid {{ id status total {{ amount }} }} receipt {{ contentHash revision }} {ERRORS} }}
}}"""
CLOSE_TENDER = f"""mutation($input: CloseTenderInput!) {{
  closeTender(input: $input) {{ tender {{ status }} openingRecord {{ kind fileName currentVersion }} {ERRORS} }} }}"""
EVALUATION = """query($id: ID!) { tenderEvaluation(id: $id) {
  bidders { bid { id } supplier { code } }
  lines { tenderLine { id lineNo } lowest { amount } offers { lowest supplier { code } } } } }"""
AWARD = f"""mutation($input: AwardTenderInput!) {{
  awardTender(input: $input) {{
    tender {{ status }} awards {{ supplier {{ code }} tenderLine {{ lineNo }} unitPrice {{ amount }} }}
    notices {{ kind number supplier {{ code }} currentVersion }} {ERRORS}
  }} }}"""
ISSUE_CONTRACT = f"""mutation($input: IssueContractInput!) {{
  issueContract(input: $input) {{ contract {{ id number status total {{ amount }} lines {{ itemCode }} }} {ERRORS} }}
}}"""
CONTRACT = "query($id: ID!) { contract(id: $id) { number status signedAt } }"
ISSUE_ORDER = f"""mutation($input: IssuePurchaseOrderInput!) {{
  issuePurchaseOrder(input: $input) {{
    purchaseOrder {{ id number status total {{ amount }} lines {{ id }} }} {ERRORS}
  }} }}"""
ORDER = "query($id: ID!) { purchaseOrder(id: $id) { number status confirmedAt closedAt } }"
RECORD_RECEIPT = f"""mutation($input: RecordGoodsReceiptInput!) {{
  recordGoodsReceipt(input: $input) {{ goodsReceipt {{ number order {{ status }} }} {ERRORS} }} }}"""
GENERATE_STATEMENT = f"""mutation($input: GenerateStatementInput!) {{
  generateStatement(input: $input) {{
    statement {{ id number status period goodsAmount {{ amount }} deductionAmount {{ amount }} total {{ amount }}
                 lines {{ kind quantity amount {{ amount }} }} }} {ERRORS}
  }} }}"""
ISSUE_STATEMENT = f"""mutation($input: IssueStatementInput!) {{
  issueStatement(input: $input) {{ statement {{ number status }} {ERRORS} }} }}"""
STATEMENT = "query($id: ID!) { statement(id: $id) { number status confirmedAt } }"

BRACKET, COVER = ("SM-BRK-01", "安装支架 / Mounting bracket"), ("SM-CVR-02", "电机防护罩 / Motor guard cover")
HOUSING = ("PL-ABS-H1", "ABS 控制器外壳 / ABS controller housing")
PRICES = {"A": ("6.5500", "24.2000"), "B": ("6.9000", "22.8000")}  # per tender line: A wins line 1, B line 2


@dataclass
class Portal:
    """The API on the story's clock; each user logs in when they act (sessions last 12 hours of that clock)."""

    api: Api
    clock: FrozenClock
    start: datetime
    passwords: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def at(self, days: int, hours: int = 0) -> datetime:
        """Move the clock forward to `days` days and `hours` hours after the story's start."""
        return self.until(self.start + timedelta(days=days, hours=hours))

    def until(self, moment: datetime) -> datetime:
        assert moment >= self.clock.now(), "the story only moves forward"
        self.clock.advance(moment - self.clock.now())
        return moment

    async def as_user(self, email: str) -> Api:
        token, since = self.sessions.get(email, ("", self.start))
        if not token or self.clock.now() - since > timedelta(hours=11):
            token = await login(self.api, email, self.passwords.get(email, DEMO_PASSWORD))
            self.sessions[email] = (token, self.clock.now())
        return self.api.as_user(token)

    async def query(self, email: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        return await (await self.as_user(email)).query(document, variables)

    async def mutate(self, email: str, document: str, variables: dict[str, Any]) -> dict[str, Any]:
        """The payload of the document's one mutation, which must succeed."""
        [payload] = (await self.query(email, document, variables)).values()
        assert payload["errors"] == [], payload
        return payload

    async def open_acknowledgement(self, email: str, kind: str, number: str) -> dict[str, Any]:
        """The supplier's pending acknowledgement of `kind` for subject `number`."""
        data = await self.query(email, ACKNOWLEDGEMENTS, {"filter": {"kind": [kind], "status": ["PENDING"]}})
        [node] = [edge["node"] for edge in data["acknowledgements"]["edges"] if edge["node"]["subjectNumber"] == number]
        return node

    async def accept(self, email: str, kind: str, number: str) -> dict[str, Any]:
        """The supplier accepts (countersigns) what it was sent; returns the answered acknowledgement."""
        ack = await self.open_acknowledgement(email, kind, number)
        payload = await self.mutate(email, ACKNOWLEDGE, {"input": {"id": ack["id"], "accept": True}})
        return payload["acknowledgement"]


@dataclass(frozen=True)
class Supplier:
    id: str
    code: str
    email: str


@pytest.fixture
async def portal(settings, service: DocumentService, renderer, master) -> AsyncIterator[Portal]:  # noqa: ANN001
    """A client of an app whose clock the test holds, signing at that clock's time (the session's keys)."""
    start = datetime.now(UTC).replace(microsecond=0)
    clock = FrozenClock(start)
    documents = DocumentService(store=service.store, renderer=renderer, master=master, clock=clock,
                                letterhead=service.letterhead, verify_url=service.verify_url)
    with client_for(settings, clock=clock, service=documents,
                    address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as api:
        async with api.client:
            yield Portal(api, clock, start)


async def onboard(portal: Portal, letter: str) -> Supplier:
    """The admin invites a supplier, its admin activates the account, the admin qualifies it."""
    tag = uuid.uuid4().hex[:6].upper()
    email = f"sales-{tag.lower()}@s-{letter.lower()}.example"
    invited = await portal.mutate(ADMIN, INVITE, {"input": invitation_input(
        code=f"S{letter}{tag}", categories=["SHEET_METAL"], adminEmail=email)})
    assert invited["supplier"]["qualificationStatus"] == "APPLIED" and invited["activationLink"]
    activated = (await portal.api.query(ACTIVATE, {"token": token_of(invited["activationLink"]),
                                                   "password": PASSWORD}))["activateAccount"]
    assert activated == {"ok": True, "email": email, "errors": []}
    portal.passwords[email] = PASSWORD
    qualified = await portal.mutate(ADMIN, QUALIFY, {"id": invited["supplier"]["id"]})
    assert qualified["supplier"]["qualificationStatus"] == "QUALIFIED"
    return Supplier(invited["supplier"]["id"], invited["supplier"]["code"], email)


def plan_lines(a: Supplier, b: Supplier, first_week: date, raised: bool = False) -> list[dict[str, Any]]:
    lines = []
    for week in range(2):
        factor = Decimal("1.1") if raised and week == 1 else Decimal(1)
        for supplier, (code, name), quantity in ((a, BRACKET, 2000), (b, HOUSING, 600)):
            lines.append({"itemCode": code, "itemName": name, "plant": "苏州一厂 / Suzhou Plant 1",
                          "week": week_of(first_week + timedelta(weeks=week)), "quantity": str(quantity * factor),
                          "expectedSupplierId": supplier.id})
    return lines


async def publish_plan_and_commit(portal: Portal, a: Supplier, b: Supplier) -> None:
    first_week = portal.clock.now().date() + timedelta(days=14)
    plan = (await portal.mutate(PROCUREMENT, CREATE_PLAN, {"input": {
        "title": "电机装配线滚动计划 / Motor line rolling plan", "lines": plan_lines(a, b, first_week)}}))["plan"]
    assert plan["status"] == "DRAFT"
    published = await portal.mutate(PROCUREMENT, PUBLISH_PLAN, {"input": {"planId": plan["id"]}})
    assert published["plan"]["status"] == "PUBLISHED" and published["revision"]["revision"] == 1
    portal.at(1)
    published = await portal.mutate(PROCUREMENT, PUBLISH_PLAN, {"input": {
        "planId": plan["id"], "note": "第 2 周上调 / week 2 raised", "lines": plan_lines(a, b, first_week, True)}})
    revision = published["revision"]
    assert revision["revision"] == 2
    portal.at(1, 3)
    for supplier in (a, b):
        mine = [line for line in revision["lines"] if line["expectedSupplier"]["code"] == supplier.code]
        committed = await portal.mutate(supplier.email, COMMIT, {"input": {"revisionId": revision["id"], "lines": [
            {"lineId": line["id"], "quantity": line["quantity"]} for line in mine]}})
        assert [c["supplier"]["code"] for c in committed["commitments"]] == [supplier.code] * 2
        copy = f"{plan['number']}-R2-{supplier.code}"
        answered = await portal.accept(supplier.email, "PLAN_REVISION", copy)
        assert answered["status"] == "ACKNOWLEDGED"
        assert answered["document"]["fileName"] == f"production-plan-{copy}.pdf"


async def tender_bid_and_award(portal: Portal, a: Supplier, b: Supplier) -> str:
    """Returns the awarded tender's id."""
    portal.at(2)
    closes_at = portal.at(2) + timedelta(days=5)
    tender = (await portal.mutate(PROCUREMENT, CREATE_TENDER, {"input": {
        "title": "电机支架与防护罩 / Motor brackets and guard covers", "closesAt": closes_at.isoformat(),
        "invitedSupplierIds": [a.id, b.id], "category": "SHEET_METAL",
        "lines": [{"itemCode": code, "itemName": name, "quantity": quantity}
                  for (code, name), quantity in ((BRACKET, "24000"), (COVER, "3000"))]}}))["tender"]
    assert tender["status"] == "DRAFT"
    published = await portal.mutate(PROCUREMENT, PUBLISH_TENDER, {"input": {"id": tender["id"]}})
    assert published["tender"]["status"] == "PUBLISHED"
    assert sorted(i["supplier"]["code"] for i in published["tender"]["invitations"]) == sorted([a.code, b.code])
    lines = {line["lineNo"]: line["id"] for line in tender["lines"]}
    for day, supplier, letter in ((3, a, "A"), (4, b, "B")):
        portal.at(day)
        bid = await portal.mutate(supplier.email, SUBMIT_BID, {"input": {"tenderId": tender["id"], "lines": [
            {"tenderLineId": lines[n], "unitPrice": price, "deliveryDays": 15}
            for n, price in enumerate(PRICES[letter], start=1)]}})
        assert bid["bid"]["status"] == "SUBMITTED" and len(bid["receipt"]["contentHash"]) == 64
    portal.clock.advance(closes_at - portal.clock.now())
    closed = await portal.mutate(PROCUREMENT, CLOSE_TENDER, {"input": {"id": tender["id"]}})
    assert closed["tender"]["status"] == "CLOSED" and closed["openingRecord"]["currentVersion"] == 1
    portal.at(8)
    evaluation = (await portal.query(PROCUREMENT, EVALUATION, {"id": tender["id"]}))["tenderEvaluation"]
    bids = {bidder["supplier"]["code"]: bidder["bid"]["id"] for bidder in evaluation["bidders"]}
    choices = []
    for line in evaluation["lines"]:
        [winner] = [offer["supplier"]["code"] for offer in line["offers"] if offer["lowest"]]
        choices.append({"tenderLineId": line["tenderLine"]["id"], "bidId": bids[winner]})
    awarded = await portal.mutate(PROCUREMENT, AWARD, {"input": {"id": tender["id"], "lines": choices}})
    assert awarded["tender"]["status"] == "AWARDED"
    assert [(w["supplier"]["code"], w["tenderLine"]["lineNo"], w["unitPrice"]["amount"]) for w in sorted(
        awarded["awards"], key=lambda w: w["tenderLine"]["lineNo"])] == [(a.code, 1, "6.5500"), (b.code, 2, "22.8000")]
    assert sorted(n["supplier"]["code"] for n in awarded["notices"]) == sorted([a.code, b.code])
    assert all(n["kind"] == "AWARD_NOTICE" and n["currentVersion"] == 1 for n in awarded["notices"])
    return tender["id"]


async def contract_and_countersign(portal: Portal, tender_id: str, supplier: Supplier) -> tuple[dict, dict]:
    """Issues the awarded contract to `supplier`, who countersigns it; returns it and its signed document."""
    today = portal.clock.now().astimezone(BUYER_TIME_ZONE).date()
    contract = (await portal.mutate(PROCUREMENT, ISSUE_CONTRACT, {"input": {
        "tenderId": tender_id, "supplierId": supplier.id, "validFrom": str(today),
        "validTo": str(today + timedelta(days=365))}}))["contract"]
    assert contract["status"] == "ISSUED" and len(contract["lines"]) == 1
    portal.at(10)
    answered = await portal.accept(supplier.email, "CONTRACT", contract["number"])
    assert answered["status"] == "ACKNOWLEDGED"
    signed = (await portal.query(PROCUREMENT, CONTRACT, {"id": contract["id"]}))["contract"]
    assert signed["status"] == "SIGNED" and signed["signedAt"]
    return contract, answered["document"]


async def test_the_demo_story_runs_through_the_api_and_its_countersigned_contract_verifies(portal: Portal) -> None:
    a, b = await onboard(portal, "A"), await onboard(portal, "B")
    await publish_plan_and_commit(portal, a, b)
    tender_id = await tender_bid_and_award(portal, a, b)

    portal.at(9)
    contract, document = await contract_and_countersign(portal, tender_id, a)
    assert contract["total"]["amount"] == "157200.00"  # 24000 brackets at 6.55
    assert document["fileName"] == f"contract-{contract['number']}.pdf" and document["currentVersion"] == 1
    assert [(s["fieldName"], s["signerOrganization"]["code"]) for s in document["versions"][0]["signatures"]] == [
        ("buyer", "BUYER"), ("supplier", a.code)]
    contract_b, _ = await contract_and_countersign(portal, tender_id, b)

    portal.at(12)
    delivery = portal.clock.now().date() + timedelta(days=14)
    order = (await portal.mutate(PROCUREMENT, ISSUE_ORDER, {"input": {
        "contractId": contract["id"], "plant": "苏州一厂 / Suzhou Plant 1",
        "lines": [{"itemCode": BRACKET[0], "quantity": "2000", "deliveryDate": str(delivery)}]}}))["purchaseOrder"]
    assert order["status"] == "ISSUED" and order["total"]["amount"] == "13100.00"
    portal.at(12, 6)
    confirmed = await portal.accept(a.email, "PURCHASE_ORDER", order["number"])
    assert confirmed["document"]["fileName"] == f"purchase-order-{order['number']}.pdf"
    assert (await portal.query(PROCUREMENT, ORDER, {"id": order["id"]}))["purchaseOrder"]["status"] == "CONFIRMED"

    received_at = portal.at(25)
    received = await portal.mutate(ACCOUNTING, RECORD_RECEIPT, {"input": {"orderId": order["id"], "lines": [
        {"orderLineId": order["lines"][0]["id"], "receivedQuantity": "2020", "rejectedQuantity": "20"}]}})
    assert received["goodsReceipt"]["order"]["status"] == "CLOSED"  # 2000 accepted: fully received

    month = received_at.astimezone(BUYER_TIME_ZONE).date().replace(day=1)
    following = (month + timedelta(days=32)).replace(day=3)  # statements go out on the 3rd of the next month
    portal.until(datetime.combine(following, time(10), tzinfo=BUYER_TIME_ZONE))
    statement = (await portal.mutate(ACCOUNTING, GENERATE_STATEMENT, {"input": {
        "supplierId": a.id, "period": f"{month:%Y-%m}",
        "deductions": [{"description": "复检费 / re-inspection fee", "amount": "120.00"}]}}))["statement"]
    assert (statement["status"], statement["goodsAmount"]["amount"], statement["deductionAmount"]["amount"],
            statement["total"]["amount"]) == ("DRAFT", "13100.00", "120.00", "12980.00")
    assert [line["kind"] for line in statement["lines"]] == ["RECEIPT", "DEDUCTION"]
    issued = await portal.mutate(ACCOUNTING, ISSUE_STATEMENT, {"input": {"id": statement["id"]}})
    assert issued["statement"]["status"] == "ISSUED"
    portal.clock.advance(timedelta(days=1))
    answered = await portal.accept(a.email, "STATEMENT", statement["number"])
    assert answered["document"]["fileName"] == f"statement-{statement['number']}.pdf"
    assert (await portal.query(ACCOUNTING, STATEMENT, {"id": statement["id"]}))["statement"]["status"] == "CONFIRMED"

    # The missed deadline: an order to B that B never answers.
    unanswered = (await portal.mutate(PROCUREMENT, ISSUE_ORDER, {"input": {
        "contractId": contract_b["id"], "lines": [{"itemCode": COVER[0], "quantity": "500",
                                                   "deliveryDate": str(portal.clock.now().date() + timedelta(days=14))}]
    }}))["purchaseOrder"]
    waiting = await portal.open_acknowledgement(b.email, "PURCHASE_ORDER", unanswered["number"])
    assert not waiting["overdue"]
    portal.clock.advance(datetime.fromisoformat(waiting["dueAt"]) - portal.clock.now() + timedelta(hours=1))
    late = await portal.query(PROCUREMENT, ACKNOWLEDGEMENTS, {"filter": {"overdue": True, "supplierId": b.id}})
    assert [(edge["node"]["subjectNumber"], edge["node"]["overdue"]) for edge in late["acknowledgements"]["edges"]] \
        == [(unanswered["number"], True)]

    # The countersigned contract, downloaded by its supplier, verifies: both signatures, issued by the portal.
    token = (await portal.as_user(a.email)).token
    download = await portal.api.client.get(f"/documents/{document['id']}/pdf",
                                           headers={"Authorization": f"Bearer {token}"})
    assert download.status_code == 200, download.text
    report, issued_file = await verify_file(download.content, portal.clock.now())
    assert report.ok, report.to_text()
    assert issued_file is not None and issued_file.number == contract["number"]
    assert issued_file.role.value == "COUNTERSIGNED"
