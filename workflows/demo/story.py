"""The demo's main story, told through the workflows alone, as the people of the demo would live it.

The buyer's admin invites suppliers A and B, who activate their accounts and are qualified. A year later procurement
publishes a production plan to both, revises it, and both commit capacity; a tender for the parts goes to both, each
submits a sealed bid, the bids are opened, evaluated and the tender split between them; the contracts are issued
signed and both suppliers countersign; an order to A is confirmed (countersigned), the goods arrive, and accounting
issues A's monthly statement, which A confirms. Last, an order to B goes unanswered: the portal's scheduler reminds
B twice, marks the order overdue when its deadline passes, and escalates it to procurement, then to their manager.

Each step is one call of a workflow (no record of the story is written by hand), run at its own time of a clock that
steps forward through the story and ends at or before the caller's present, signing its documents for real with a
DocumentService on that clock. The steps are named and listed in ONBOARDING and MAIN, each with the time it happens
(from the Timeline), so that a step is added by adding one line: `Step(name, when, run)`, where `run(story)` calls
workflows with `story.clock` and `story.service` and returns the line to print. The story's summary keeps the id of
the acknowledgement left unanswered (`unanswered_acknowledgement_id`), for a later step to chase.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from domain.actors import Actor
from domain.clock import Clock, FrozenClock
from domain.enums import AcknowledgementStatus
from domain.models import Acknowledgement, Contract, PlanLine, PurchaseOrderLine, TenderLine, User
from workflows import contracting, ordering, planning, receiving, statements, suppliers, tendering
from workflows.deadlines.escalation import run_deadlines
from workflows.activation import activate_account
from workflows.deadlines.acknowledgements import acknowledge
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.demo.catalogue import DEMO_PASSWORD, ITEMS, PLANTS, SUPPLIERS, Item, profile_of
from workflows.documents import keyring
from workflows.documents.issuing import DocumentService
from workflows.documents.pki import MasterKey
from workflows.identity import LoginPolicy, actor_for
from workflows.plan_lines import PlanLineInput, week_of

ADMIN = "admin@buyer.example"
PROCUREMENT = "procurement@buyer.example"
ACCOUNTING = "accounting@buyer.example"
STORY_SUPPLIERS = ("SUP-A", "SUP-B")
STATED_SUPPLIER = "SUP-A"  # whose monthly statement the story issues
HISTORY_DAYS = 400  # the buyer's portal went live this long before the present
ACTIVATION_ADDRESS = "127.0.0.1"


@dataclass(frozen=True)
class DemoSigning:
    """What the story signs with: the master key that seals the keys, and a DocumentService on a given clock (the
    buyer's letterhead exists only once the buyer does, so the service is made when the story starts)."""

    master: MasterKey
    documents: Callable[[Clock], Awaitable[DocumentService]]


def _local(day: date, at: str) -> datetime:
    """`at` ("10:30") in the buyer's time zone on `day`, in UTC."""
    hour, minute = (int(part) for part in at.split(":"))
    return datetime.combine(day, time(hour, minute), tzinfo=BUYER_TIME_ZONE).astimezone(UTC)


def _first_of_previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


@dataclass(frozen=True)
class Timeline:
    """When the story happens, worked out backwards from the present so that it ends before it: the statement of
    the last month whose statement went out at least six days ago, the goods of that statement received on the
    20th of its month, and everything else placed before or after that receipt."""

    now: datetime
    founded: datetime
    received: datetime
    statement_issued: datetime
    period: str

    def on(self, base: datetime, days: int, at: str) -> datetime:
        """`at` local time, `days` after the buyer's calendar day of `base`."""
        return _local(base.astimezone(BUYER_TIME_ZONE).date() + timedelta(days=days), at)

    def before_receipt(self, days: int, at: str) -> datetime:
        return self.on(self.received, -days, at)

    def joined(self, code: str) -> datetime:
        """When supplier `code` was invited: as the seeded suppliers, a week apart in catalogue order."""
        index = next(i for i, profile in enumerate(SUPPLIERS) if profile.code == code)
        return self.on(self.founded, 10 + index * 7, "10:00")


def story_timeline(now: datetime) -> Timeline:
    """The story's times for a present `now`."""
    today = now.astimezone(BUYER_TIME_ZONE).date()
    issued = _local(today.replace(day=3), "10:00")
    if issued > now - timedelta(days=6):
        issued = _local(_first_of_previous_month(today).replace(day=3), "10:00")
    stated = _first_of_previous_month(issued.astimezone(BUYER_TIME_ZONE).date())
    return Timeline(now=now, founded=now - timedelta(days=HISTORY_DAYS),
                    received=_local(stated.replace(day=20), "15:00"), statement_issued=issued,
                    period=f"{stated.year:04d}-{stated.month:02d}")


@dataclass
class StoryRecord:
    """A record the story made, for the closing table: what it is, its number, and where it ended."""

    what: str
    number: str
    state: str


@dataclass
class StorySummary:
    """What the story did: one line per step (its time and what happened), its records, and what is left open."""

    lines: list[tuple[datetime, str, str]] = field(default_factory=list)  # time, step name, what happened
    records: dict[str, StoryRecord] = field(default_factory=dict)
    stated: set[tuple[str, str]] = field(default_factory=set)  # (supplier code, period) of the story's statements
    unanswered_acknowledgement_id: uuid.UUID | None = None

    def print(self, console: Any) -> None:
        from rich.table import Table

        table = Table(title="The story's records", title_justify="left")
        for column in ("record", "number", "state"):
            table.add_column(column, no_wrap=column != "state")
        for record in self.records.values():
            table.add_row(record.what, record.number, record.state)
        console.print(table)


@dataclass
class Story:
    """The story's shared state: its clock, its signing, who acts, and what earlier steps made."""

    timeline: Timeline
    signing: DemoSigning
    console: Any | None = None
    clock: FrozenClock = field(init=False)
    summary: StorySummary = field(default_factory=StorySummary)
    documents: DocumentService | None = None
    actors: dict[str, Actor] = field(default_factory=dict)  # by e-mail
    made: dict[str, Any] = field(default_factory=dict)  # records of earlier steps, by name
    activation: dict[str, str] = field(default_factory=dict)  # supplier code -> activation secret

    def __post_init__(self) -> None:
        self.clock = FrozenClock(self.timeline.founded)

    @property
    def service(self) -> DocumentService:
        assert self.documents is not None, "the story's document service is made when it first runs"
        return self.documents

    async def actor(self, email: str) -> Actor:
        if email not in self.actors:
            self.actors[email] = actor_for(await User.get(email=email).select_related("organization"))
        return self.actors[email]

    async def supplier(self, code: str) -> Actor:
        """The supplier's admin, who answers for it in the story."""
        return await self.actor(profile_of(code).people[0].email)

    def statements_to_come(self) -> set[tuple[str, str]]:
        """The (supplier code, period) of the statement MAIN will issue: the seeded history leaves it to the story."""
        return {(STATED_SUPPLIER, self.timeline.period)}

    def record(self, key: str, what: str, number: str, state: str) -> None:
        self.summary.records[key] = StoryRecord(what, number, state)

    async def run(self, steps: Sequence[Step]) -> StorySummary:
        """Run `steps` in order, each at its time (never earlier than the step before, never after the present)."""
        if self.documents is None:
            self.documents = await self.signing.documents(self.clock)
        for step in steps:
            at = step.at(self.timeline)
            if at < self.clock.now() or at > self.timeline.now:
                raise ValueError(f"story step {step.name!r} at {at.isoformat()} is out of order")
            self.clock.advance(at - self.clock.now())
            text = await step.run(self)
            self.summary.lines.append((at, step.name, text))
            if self.console is not None:
                local = at.astimezone(BUYER_TIME_ZONE)
                # One line per step, however narrow the terminal: it wraps it, the demo does not split it.
                self.console.print(f"[dim]{local:%Y-%m-%d %H:%M}[/dim] {text}", soft_wrap=True)
        return self.summary


@dataclass(frozen=True)
class Step:
    """One thing that happens in the story: its name, when (from the timeline), and the workflow calls it makes,
    which return the line the demo prints."""

    name: str
    at: Callable[[Timeline], datetime]
    run: Callable[[Story], Awaitable[str]]


def _item(code: str) -> Item:
    return next(item for item in ITEMS if item.code == code)


def _money(amount: Decimal, currency: str = "CNY") -> str:
    return f"{currency} {amount:,.2f}"


async def _open_acknowledgement(subject_id: uuid.UUID, supplier_id: uuid.UUID) -> Acknowledgement:
    return await Acknowledgement.get(subject_id=subject_id, supplier_id=supplier_id,
                                     status=AcknowledgementStatus.PENDING)


# -- onboarding --------------------------------------------------------------------------------------------------------

async def create_keys(story: Story) -> str:
    await keyring.init_keys(story.signing.master, story.clock.now())
    return "the portal's certificate authority and the buyer's signing key are created"


def invite(code: str) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        profile = profile_of(code)
        admin = profile.people[0]
        invited = await suppliers.invite_supplier(await story.actor(ADMIN), suppliers.SupplierInvitation(
            code=profile.code, name_zh=profile.name_zh, name_en=profile.name_en, credit_code=profile.credit_code,
            categories=profile.categories, admin_email=admin.email, admin_name=admin.name,
            address=profile.address), clock=story.clock)
        assert invited.activation_secret is not None
        story.activation[code] = invited.activation_secret
        return f"admin invites {profile.name_zh} ({code}): {admin.email} gets an activation link"

    return run


def activate(code: str) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        user = await activate_account(story.activation.pop(code), DEMO_PASSWORD, address=ACTIVATION_ADDRESS,
                                      clock=story.clock, policy=LoginPolicy())
        return f"{user.email} activates the account of {code} and sets a password"

    return run


def qualify(code: str) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        await suppliers.qualify_supplier(await story.actor(ADMIN), (await story.supplier(code)).org_id,
                                         note="营业执照与体系证书审核通过 / licence and certificates checked",
                                         clock=story.clock, master=story.signing.master)
        return f"admin qualifies {code}: it gets its signing certificate"

    return run


# -- the production plan -----------------------------------------------------------------------------------------------

# (supplier, item, weekly quantity): what the plan asks of each supplier.
PLAN_DEMAND = (("SUP-A", "SM-BRK-01", 2000), ("SUP-A", "FB-M8-30", 20000),
               ("SUP-B", "PL-ABS-H1", 600), ("SUP-B", "PL-PA66-G", 3000))
PLAN_WEEKS = 4
RAISED_WEEK = 1  # revision 2 raises the second week by a tenth


async def _plan_lines(story: Story, revision: int) -> list[PlanLineInput]:
    first = story.timeline.before_receipt(42, "09:00").astimezone(BUYER_TIME_ZONE).date() + timedelta(days=14)
    lines = []
    for week in range(PLAN_WEEKS):
        for code, item_code, weekly in PLAN_DEMAND:
            item = _item(item_code)
            quantity = Decimal(weekly) * (Decimal("1.1") if revision > 1 and week == RAISED_WEEK else 1)
            lines.append(PlanLineInput(item.code, item.name, PLANTS[0][1], week_of(first + timedelta(weeks=week)),
                                       quantity, item.unit, (await story.supplier(code)).org_id))
    return lines


async def create_plan(story: Story) -> str:
    plan = await planning.create_production_plan(
        await story.actor(PROCUREMENT), "电机装配线 4 周滚动计划 / Motor assembly line 4-week rolling plan",
        await _plan_lines(story, 1), clock=story.clock)
    story.made["plan"] = plan
    return f"procurement drafts production plan {plan.number} ({PLAN_WEEKS} weeks, parts from SUP-A and SUP-B)"


async def publish_plan(story: Story) -> str:
    plan = story.made["plan"]
    revision = await planning.publish_plan_revision(await story.actor(PROCUREMENT), plan.id, clock=story.clock,
                                                    documents=story.service, note="首次发布 / first issue")
    story.made["revision"] = revision
    return f"{plan.number} revision 1 is published: SUP-A and SUP-B each get their signed copy to acknowledge"


async def _commit(story: Story, code: str, constrained: str | None = None) -> tuple[int, Decimal]:
    """The supplier commits the full quantity of each of its lines (80 % of item `constrained`'s last week)."""
    supplier = await story.supplier(code)
    revision = story.made["revision"]
    lines = await PlanLine.filter(revision_id=revision.id, expected_supplier_id=supplier.org_id).order_by("line_no")
    last_week = max(line.week for line in lines)
    commitments = []
    for line in lines:
        short = line.item_code == constrained and line.week == last_week
        commitments.append(planning.CommitmentInput(
            line.id, (line.quantity * Decimal("0.8")).quantize(Decimal(1)) if short else line.quantity,
            "模具保养，产能受限 / mould maintenance, capacity constrained" if short else ""))
    await planning.commit_to_plan(supplier, revision.id, commitments, clock=story.clock)
    return len(commitments), sum((c.quantity for c in commitments), Decimal(0))


async def _acknowledge_plan(story: Story, code: str) -> None:
    supplier = await story.supplier(code)
    ack = await _open_acknowledgement(story.made["revision"].id, supplier.org_id)
    await acknowledge(supplier, ack.id, accept=True, clock=story.clock, documents=story.service)


def commit_and_acknowledge_plan(code: str, constrained: str | None = None) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        count, _ = await _commit(story, code, constrained)
        await _acknowledge_plan(story, code)
        revision = story.made["revision"]
        short = f", {constrained} short in the last week" if constrained else ""
        return (f"{code} commits capacity on its {count} lines{short} and countersigns its copy of "
                f"{story.made['plan'].number} revision {revision.revision}")

    return run


async def revise_plan(story: Story) -> str:
    plan = story.made["plan"]
    revision = await planning.publish_plan_revision(
        await story.actor(PROCUREMENT), plan.id, clock=story.clock, documents=story.service,
        note="第 2 周数量上调 10% / week 2 quantities raised by 10 %", lines=await _plan_lines(story, 2))
    story.made["revision"] = revision
    story.record("plan", "production plan", plan.number, f"published, revision {revision.revision}")
    return (f"{plan.number} revision 2 raises week 2 by 10 %: new signed copies go out, and SUP-B's unanswered "
            "revision 1 is withdrawn")


# -- the tender --------------------------------------------------------------------------------------------------------

TENDER_LINES = (("SM-BRK-01", 24000), ("SM-CVR-02", 3000))
BIDS = {"SUP-A": (("6.5500", 15), ("24.2000", 20)), "SUP-B": (("6.9000", 20), ("22.8000", 15))}


def _closes_at(timeline: Timeline) -> datetime:
    return timeline.before_receipt(28, "17:00")


async def create_and_publish_tender(story: Story) -> str:
    closes_at = _closes_at(story.timeline)
    required_by = (story.timeline.received + timedelta(days=10)).date()
    lines = tuple(
        tendering.TenderLineInput(item_code=code, item_name=_item(code).name, quantity=Decimal(quantity),
                                  unit=_item(code).unit, required_by=required_by,
                                  specification="冷轧钢板，表面喷粉 / cold-rolled steel, powder coated")
        for code, quantity in TENDER_LINES)
    invited = tuple([(await story.supplier(code)).org_id for code in STORY_SUPPLIERS])
    procurement = await story.actor(PROCUREMENT)
    tender, _ = await tendering.create_tender(procurement, tendering.TenderInput(
        title="电机支架与防护罩年度采购 / Motor brackets and guard covers, annual supply", closes_at=closes_at,
        lines=lines, invited_supplier_ids=invited, category="SHEET_METAL",
        description="含税价，交货至苏州一厂。/ Prices include VAT, delivered to Suzhou Plant 1."), clock=story.clock)
    tender = await tendering.publish_tender(procurement, tender.id, clock=story.clock)
    story.made["tender"] = tender
    local = closes_at.astimezone(BUYER_TIME_ZONE)
    return f"procurement publishes tender {tender.number} to SUP-A and SUP-B; bids close {local:%Y-%m-%d %H:%M}"


def bid(code: str) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        tender = story.made["tender"]
        lines = await TenderLine.filter(tender_id=tender.id).order_by("line_no")
        priced = [tendering.BidLineInput(line.id, Decimal(price), days)
                  for line, (price, days) in zip(lines, BIDS[code], strict=True)]
        receipt = await tendering.submit_bid(await story.supplier(code), tender.id, priced, clock=story.clock,
                                             note="含税，含运费 / VAT and freight included",
                                             timestamper=story.service.timestamper)
        return (f"{code} submits a sealed bid on {tender.number} ({_money(receipt.bid.total_amount)}); "
                f"its receipt: sha256 {receipt.content_hash[:16]}…")

    return run


async def close_tender(story: Story) -> str:
    tender = story.made["tender"]
    closed = await tendering.close_tender(await story.actor(PROCUREMENT), tender.id, clock=story.clock,
                                          service=story.service)
    story.made["tender"] = closed.tender
    return f"{tender.number} closes: its 2 sealed bids are opened and the opening record is signed"


async def award_tender(story: Story) -> str:
    procurement = await story.actor(PROCUREMENT)
    tender = story.made["tender"]
    evaluation = await tendering.tender_evaluation(procurement, tender.id)
    assert evaluation is not None
    bids = {bidder.supplier.id: bidder.bid for bidder in evaluation.bidders}
    codes = {bidder.supplier.id: bidder.supplier.code for bidder in evaluation.bidders}
    choices, said = [], []
    for line in evaluation.lines:
        winner = line.lowest_supplier_ids[0]
        choices.append(tendering.AwardLineInput(line.line.id, bids[winner].id))
        said.append(f"line {line.line.line_no} ({line.line.item_code}) to {codes[winner]} at {line.lowest}")
    result = await tendering.award_tender(procurement, tender.id, lines=choices, clock=story.clock,
                                          service=story.service)
    story.record("tender", "tender", tender.number, f"awarded, split ({len(result.notices)} award notices)")
    return f"procurement compares the bids and splits {tender.number}: {'; '.join(said)}; award notices signed"


# -- contracts and orders ----------------------------------------------------------------------------------------------

async def issue_contracts(story: Story) -> str:
    tender = story.made["tender"]
    today = contracting.buyer_today(story.clock.now())
    numbers = []
    for code in STORY_SUPPLIERS:
        contract = await contracting.issue_contract(await story.actor(PROCUREMENT), contracting.ContractInput(
            valid_from=today, valid_to=today + timedelta(days=365), tender_id=tender.id,
            supplier_id=(await story.supplier(code)).org_id), clock=story.clock, documents=story.service)
        story.made[f"contract {code}"] = contract
        numbers.append(f"{contract.number} to {code} ({_money(contract.total_amount)})")
    return f"procurement issues the awarded contracts, signed by the buyer: {', '.join(numbers)}"


def countersign_contract(code: str) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        supplier = await story.supplier(code)
        contract = story.made[f"contract {code}"]
        ack = await _open_acknowledgement(contract.id, supplier.org_id)
        await acknowledge(supplier, ack.id, accept=True, clock=story.clock, documents=story.service)
        contract = await Contract.get(id=contract.id)
        story.made[f"contract {code}"] = contract
        story.record(f"contract {code}", f"contract with {code}", contract.number,
                     f"{contract.status.lower()}, countersigned")
        return f"{code} countersigns contract {contract.number}: it is {contract.status.lower()}"

    return run


def issue_order(code: str, item_code: str, quantity: int, delivery_days: int) -> Callable[[Story], Awaitable[str]]:
    async def run(story: Story) -> str:
        contract = story.made[f"contract {code}"]
        delivery = contracting.buyer_today(story.clock.now()) + timedelta(days=delivery_days)
        _, plant, address = PLANTS[0]
        order = await ordering.issue_purchase_order(await story.actor(PROCUREMENT), ordering.OrderInput(
            lines=(ordering.OrderLineInput(item_code, Decimal(quantity), delivery),), contract_id=contract.id,
            plant=plant, delivery_address=address), clock=story.clock, documents=story.service)
        story.made[f"order {code}"] = order
        return (f"procurement issues purchase order {order.number} to {code} under {contract.number}: "
                f"{quantity} × {item_code}, due {delivery}, {_money(order.total_amount)}")

    return run


async def confirm_order(story: Story) -> str:
    supplier = await story.supplier("SUP-A")
    order = story.made["order SUP-A"]
    ack = await _open_acknowledgement(order.id, supplier.org_id)
    await acknowledge(supplier, ack.id, accept=True, clock=story.clock, documents=story.service)
    return f"SUP-A confirms {order.number}, countersigning it"


RECEIVED, REJECTED = Decimal(2020), Decimal(20)


async def receive_goods(story: Story) -> str:
    order = story.made["order SUP-A"]
    [line] = await PurchaseOrderLine.filter(order_id=order.id)
    receipt = await receiving.record_goods_receipt(await story.actor(ACCOUNTING), receiving.ReceiptInput(
        order_id=order.id, lines=(receiving.ReceiptLineInput(line.id, RECEIVED, REJECTED),),
        note="来料检验 20 件毛刺超标，退回 / 20 rejected on inspection (burrs)"), clock=story.clock)
    order = await ordering.visible_order(await story.actor(ACCOUNTING), order.id)
    story.record("order SUP-A", "purchase order to SUP-A", order.number, f"{order.status.lower()}, fully received")
    story.record("receipt", "goods receipt", receipt.number, f"{RECEIVED} received, {REJECTED} rejected")
    return (f"goods receipt {receipt.number}: {RECEIVED} brackets arrive, {REJECTED} fail inspection; "
            f"{order.number} is fully received and {order.status.lower()}")


async def generate_statement(story: Story) -> str:
    supplier = await story.supplier(STATED_SUPPLIER)
    statement = await statements.generate_statement(
        await story.actor(ACCOUNTING), supplier.org_id, story.timeline.period, clock=story.clock,
        deductions=(statements.DeductionInput("来料不良复检费 / re-inspection of rejected goods", Decimal("120.00")),))
    story.made["statement"] = statement
    story.summary.stated.add((STATED_SUPPLIER, story.timeline.period))
    return (f"accounting generates {STATED_SUPPLIER}'s statement {statement.number} for {statement.period}: "
            f"{_money(statement.total_amount, statement.currency)} after a {_money(statement.deduction_amount)} "
            "deduction")


async def issue_statement(story: Story) -> str:
    statement = await statements.issue_statement(await story.actor(ACCOUNTING), story.made["statement"].id,
                                                 clock=story.clock, documents=story.service)
    return f"accounting issues {statement.number}, signed by the buyer, for {STATED_SUPPLIER} to confirm"


async def confirm_statement(story: Story) -> str:
    supplier = await story.supplier(STATED_SUPPLIER)
    statement = story.made["statement"]
    ack = await _open_acknowledgement(statement.id, supplier.org_id)
    await acknowledge(supplier, ack.id, accept=True, clock=story.clock, documents=story.service)
    story.record("statement", f"statement of {STATED_SUPPLIER}", statement.number,
                 f"confirmed, period {statement.period}")
    return f"{STATED_SUPPLIER} confirms statement {statement.number}, countersigning it"


async def leave_order_unanswered(story: Story) -> str:
    text = await issue_order("SUP-B", "SM-CVR-02", 500, 14)(story)
    supplier = await story.supplier("SUP-B")
    order = story.made["order SUP-B"]
    ack = await _open_acknowledgement(order.id, supplier.org_id)
    story.summary.unanswered_acknowledgement_id = ack.id
    story.record("order SUP-B", "purchase order to SUP-B", order.number, "issued, not answered")
    due = ack.due_at.astimezone(BUYER_TIME_ZONE)
    return f"{text}; SUP-B is to answer by {due:%Y-%m-%d %H:%M}, and does not"


def _missed(t: Timeline, hours: float) -> datetime:
    """`hours` after the unanswered order's due time (its policy: due 48 hours after it is sent)."""
    return t.on(t.now, -4, "10:00") + timedelta(hours=48 + hours)


def scheduler_run(expected: str) -> Callable[[Story], Awaitable[str]]:
    """The portal's scheduler runs, as `portal tick` or a server would at that moment: whatever is due then is done
    (the history's acknowledgements too); the line says what became of the unanswered order."""

    async def run(story: Story) -> str:
        report = await run_deadlines(story.clock)
        ack = await Acknowledgement.get(id=story.summary.unanswered_acknowledgement_id)
        others = report.total - 1
        story.record("order SUP-B", "purchase order to SUP-B", ack.subject_number,
                     f"not answered: {str(ack.status).lower()}"
                     + (f", escalation level {ack.escalation_level}" if ack.escalation_level else ""))
        return f"{expected.format(number=ack.subject_number)}" + (
            f" ({others} other due action(s) of the history taken in the same run)" if others > 0 else "")

    return run


# -- the steps, in order -----------------------------------------------------------------------------------------------

def _onboarding() -> tuple[Step, ...]:
    steps = [Step("certificate authority", lambda t: t.on(t.founded, 1, "09:00"), create_keys)]
    for code in STORY_SUPPLIERS:
        steps += [
            Step(f"invite {code}", lambda t, code=code: t.joined(code), invite(code)),
            Step(f"activate {code}", lambda t, code=code: t.on(t.joined(code), 0, "15:30"), activate(code)),
            Step(f"qualify {code}", lambda t, code=code: t.on(t.joined(code), 5, "11:00"), qualify(code)),
        ]
    return tuple(steps)


ONBOARDING: tuple[Step, ...] = _onboarding()

MAIN: tuple[Step, ...] = (
    Step("create plan", lambda t: t.before_receipt(42, "09:00"), create_plan),
    Step("publish plan", lambda t: t.before_receipt(42, "11:00"), publish_plan),
    Step("SUP-A commits to revision 1", lambda t: t.before_receipt(41, "10:00"), commit_and_acknowledge_plan("SUP-A")),
    Step("revise plan", lambda t: t.before_receipt(38, "14:00"), revise_plan),
    Step("SUP-A commits to revision 2", lambda t: t.before_receipt(37, "10:00"),
         commit_and_acknowledge_plan("SUP-A")),
    Step("SUP-B commits to revision 2", lambda t: t.before_receipt(37, "15:00"),
         commit_and_acknowledge_plan("SUP-B", constrained="PL-PA66-G")),
    Step("publish tender", lambda t: t.before_receipt(35, "09:30"), create_and_publish_tender),
    Step("SUP-A bids", lambda t: t.before_receipt(33, "11:00"), bid("SUP-A")),
    Step("SUP-B bids", lambda t: t.before_receipt(31, "16:00"), bid("SUP-B")),
    Step("close tender", lambda t: _closes_at(t) + timedelta(minutes=5), close_tender),
    Step("award tender", lambda t: t.before_receipt(27, "10:00"), award_tender),
    Step("issue contracts", lambda t: t.before_receipt(26, "10:00"), issue_contracts),
    Step("SUP-A countersigns", lambda t: t.before_receipt(25, "09:30"), countersign_contract("SUP-A")),
    Step("SUP-B countersigns", lambda t: t.before_receipt(24, "14:00"), countersign_contract("SUP-B")),
    Step("order to SUP-A", lambda t: t.before_receipt(21, "10:00"), issue_order("SUP-A", "SM-BRK-01", 2000, 21)),
    Step("SUP-A confirms", lambda t: t.before_receipt(21, "16:00"), confirm_order),
    Step("goods received", lambda t: t.received, receive_goods),
    Step("generate statement", lambda t: t.statement_issued - timedelta(minutes=30), generate_statement),
    Step("issue statement", lambda t: t.statement_issued, issue_statement),
    Step("SUP-A confirms the statement", lambda t: t.on(t.statement_issued, 1, "16:00"), confirm_statement),
    Step("order to SUP-B, unanswered", lambda t: t.on(t.now, -4, "10:00"), leave_order_unanswered),
    Step("reminder", lambda t: _missed(t, -24), scheduler_run("the scheduler reminds SUP-B to answer {number}")),
    Step("second reminder", lambda t: _missed(t, -2), scheduler_run("2 hours left: SUP-B is reminded again")),
    Step("deadline passes", lambda t: _missed(t, 0.05),
         scheduler_run("the deadline passes: {number} is overdue, SUP-B is told")),
    Step("escalation to the owner", lambda t: _missed(t, 4.05),
         scheduler_run("4 hours late: escalated to procurement, who issued it")),
    Step("escalation to the manager", lambda t: _missed(t, 24.05),
         scheduler_run("a day late: escalated to procurement's manager")),
)
