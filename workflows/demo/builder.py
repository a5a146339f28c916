"""Builds the demo world: the buyer, its staff and suppliers, a realistic history of every kind of record, and, when
the demo signs its documents, the main story (`workflows.demo.story`) told through the workflows.

The history is written directly, in bulk, with one audit event per change: it is the large world around the story
(hundreds of records for the lists, the benchmarks and the tests). Its documents are listed for
`workflows.demo.documents` to sign, or recorded without a PDF, and its acknowledgements are given the state the
scheduler would have left them in. The story's suppliers A and B are invited and qualified by the story before the
history is seeded, and the story's plan, tender, contracts, orders, receipt and statement come after it, so that, for
example, the story's statement of supplier A states every receipt of its month.
"""

from __future__ import annotations

import hashlib
import json
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from tortoise import connections
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from domain import models as m
from domain.actors import Actor
from domain.clock import Clock, SystemClock
from domain.enums import (
    AcknowledgementKind as AK, AcknowledgementStatus as AS, BidStatus, ContractStatus, DocumentFileRole, DocumentKind,
    OrderStatus, OrgKind, PlanStatus, QualificationStatus, StatementLineKind, StatementStatus, TenderStatus,
    TenderVisibility,
)
from domain.money import round_amount
from workflows.audit import PendingEvent, record_events
from workflows.demo.catalogue import (
    BUYER, DEMO_PASSWORD, ITEMS, PLANTS, QUALIFICATION_DOCUMENTS, STAFF, SUPPLIERS, Item, SupplierProfile, items_of,
    profile_of,
)
from workflows.demo.story import HISTORY_DAYS, MAIN, ONBOARDING, STORY_SUPPLIERS, DemoSigning, Story, StorySummary
from workflows.demo.story import story_timeline
from workflows.identity import hash_password
from workflows.numbering import reserve_numbers
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.deadlines.escalation import run_deadlines
from workflows.deadlines.policies import Policy, first_action_time
from workflows.statements import Period, statement_figures
from workflows.tendering.bidding import canonical_bid, content_hash_of

BATCH = 1000
TENDER_CATEGORIES = ("SHEET_METAL", "FASTENERS", "PLASTICS", "ELECTRONICS")

# Due times of the default escalation policies, in hours after sending (DESIGN section 4).
DUE_HOURS = {AK.PURCHASE_ORDER: 48, AK.CONTRACT: 120, AK.STATEMENT: 240, AK.PLAN_REVISION: 72}
ESCALATION_STEPS = [{"after_hours": 4, "to": "OWNER"}, {"after_hours": 24, "to": "MANAGER"}]
REMINDER_HOURS = [24, 2]
DEMO_POLICY = Policy(reminder_hours=tuple(REMINDER_HOURS), escalation_steps=tuple(ESCALATION_STEPS))


@dataclass(frozen=True)
class DemoScale:
    """How much history to make: the default is the demo's; the benchmark asks for more."""

    tenders: int = 24
    orders: int = 60


@dataclass(frozen=True)
class PendingDocument:
    """A document the story issues, to be rendered and signed once the world is built."""

    kind: DocumentKind
    subject: Any
    supplier_code: str | None


@dataclass
class DemoSummary:
    users: list[tuple[str, str, str, str]] = field(default_factory=list)  # e-mail, name, organisation, roles
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    per_supplier: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    password: str = DEMO_PASSWORD
    pending_documents: list[PendingDocument] = field(default_factory=list)
    story: StorySummary | None = None

    async def count_records(self) -> None:
        """Count what the database holds now, in total and per supplier (the table `print` shows)."""
        self.counts, self.per_supplier = await _record_counts()

    def print(self, console: Any) -> None:
        from rich.table import Table

        users = Table(title=f"Demo users (password: {self.password})", title_justify="left")
        users.add_column("e-mail", no_wrap=True)
        users.add_column("roles", no_wrap=True)
        users.add_column("name")
        for email, name, _organisation, roles in self.users:
            users.add_row(email, roles, name)
        console.print(users)
        kinds = sorted(self.counts, key=lambda kind: kind.startswith("acknowledgements"))
        records = Table(title="Records created", title_justify="left")
        records.add_column("record")
        records.add_column("total", justify="right")
        codes = sorted(self.per_supplier)
        for code in codes:
            records.add_column(code, justify="right")
        for kind in kinds:
            records.add_row(kind, str(self.counts[kind]), *(str(self.per_supplier[c].get(kind, 0)) for c in codes))
        console.print(records)
        if self.story is not None:
            self.story.print(console)


# What the summary counts: (label, model, filter, the path to the supplier's id, or None for a total only).
_COUNTED: tuple[tuple[str, type, dict[str, Any], str | None], ...] = (
    ("organisations", m.Organization, {}, "id"),
    ("users", m.User, {}, "organization_id"),
    ("qualification documents", m.QualificationDocument, {}, "organization_id"),
    ("production plans", m.ProductionPlan, {}, None),
    ("plan revisions sent", m.PlanRecipient, {}, "supplier_id"),
    ("plan commitments", m.PlanCommitment, {}, "supplier_id"),
    ("tenders", m.Tender, {}, None),
    ("tender invitations", m.TenderInvitation, {}, "supplier_id"),
    ("bids", m.Bid, {}, "supplier_id"),
    ("awarded lines", m.Award, {}, "supplier_id"),
    ("contracts", m.Contract, {}, "supplier_id"),
    ("purchase orders", m.PurchaseOrder, {}, "supplier_id"),
    ("purchase order lines", m.PurchaseOrderLine, {}, "order__supplier_id"),
    ("goods receipts", m.GoodsReceipt, {}, "supplier_id"),
    ("statements", m.Statement, {}, "supplier_id"),
    ("statement lines", m.StatementLine, {}, "statement__supplier_id"),
    ("disputes", m.Dispute, {}, "statement__supplier_id"),
    ("notifications", m.Notification, {}, "user__organization_id"),
    ("audit events", m.AuditEvent, {}, None),
    ("documents", m.Document, {}, "supplier_id"),
    ("signed documents", m.DocumentFile, {"role": DocumentFileRole.ISSUED}, "version__document__supplier_id"),
    ("countersigned documents", m.DocumentFile, {"role": DocumentFileRole.COUNTERSIGNED},
     "version__document__supplier_id"),
    *((f"acknowledgements {status.lower()}", m.Acknowledgement, {"status": status}, "supplier_id") for status in AS),
)


async def _record_counts() -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """How many records of each kind the database holds, in total and per supplier code (kinds with none left out)."""
    codes = dict(await m.Organization.filter(kind=OrgKind.SUPPLIER).values_list("id", "code"))
    counts: dict[str, int] = defaultdict(int)
    per_supplier: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for label, model, where, path in _COUNTED:
        query = model.filter(**where)
        if path is None:
            total = await query.count()
        else:
            total = 0
            rows = await query.annotate(n=Count("id")).group_by(path).values_list(path, "n")
            for supplier_id, n in rows:
                total += n
                if supplier_id in codes:
                    per_supplier[codes[supplier_id]][label] += n
        if total:
            counts[label] = total
    return counts, per_supplier


class _Progress:
    """Prints each step of the build on a rich console, if one is given."""

    def __init__(self, console: Any | None) -> None:
        self.console = console

    def step(self, text: str) -> None:
        if self.console is not None:
            self.console.print(f"[dim]•[/dim] {text}")


@dataclass
class _World:
    now: datetime
    rng: random.Random
    summary: DemoSummary
    events: list[PendingEvent] = field(default_factory=list)
    sign: bool = False
    stated: set[tuple[str, str]] = field(default_factory=set)  # (supplier, period) the story states itself
    password_hash: str = ""
    contracts_made: int = 0
    buyer: m.Organization | None = None
    staff: dict[str, m.User] = field(default_factory=dict)
    suppliers: dict[str, m.Organization] = field(default_factory=dict)
    supplier_users: dict[str, list[m.User]] = field(default_factory=lambda: defaultdict(list))
    framework: dict[str, m.Contract] = field(default_factory=dict)
    framework_prices: dict[tuple[str, str], Decimal] = field(default_factory=dict)

    @property
    def founded(self) -> datetime:
        return self.now - timedelta(days=HISTORY_DAYS)

    @property
    def procurement(self) -> m.User:
        return self.staff["procurement@buyer.example"]

    @property
    def accounting(self) -> m.User:
        return self.staff["accounting@buyer.example"]

    def actor(self, user: m.User, org: m.Organization) -> Actor:
        return Actor(user_id=user.id, org_id=org.id, org_kind=OrgKind(org.kind), roles=frozenset(user.roles),
                     email=user.email)

    def staff_actor(self, user: m.User) -> Actor:
        assert self.buyer is not None
        return self.actor(user, self.buyer)

    def supplier_actor(self, code: str) -> Actor:
        return self.actor(self.supplier_users[code][0], self.suppliers[code])

    def event(self, at: datetime, actor: Actor | None, action: str, subject: Any, supplier_id: uuid.UUID | None,
              **data: Any) -> None:
        self.events.append(PendingEvent(at=at, actor=actor, action=action, subject_type=type(subject).__name__,
                                        subject_id=subject.id, supplier_id=supplier_id, data=data))

    def code_of(self, supplier_id: uuid.UUID) -> str:
        return next(code for code, org in self.suppliers.items() if org.id == supplier_id)

    def qualified_codes(self, category: str | None = None) -> list[str]:
        return [p.code for p in SUPPLIERS if p.status is QualificationStatus.QUALIFIED
                and (category is None or category in p.categories)]


async def build_demo(console: Any | None = None, clock: Clock | None = None, scale: DemoScale = DemoScale(),
                     seed: int = 2026, signing: DemoSigning | None = None) -> DemoSummary:
    """Create the demo world in an empty, migrated database and return what was created.

    With `signing`, the main story is told through the workflows, its documents signed for real (its clock ends at
    or before `clock`'s present), and the history's documents are not recorded here but listed in
    `summary.pending_documents`, for `workflows.demo.documents` to sign. Without it (the worlds of the test suite and
    the benchmark), there is no story: suppliers A and B are seeded like the others, and each document is a record
    without a file."""
    clock = clock or SystemClock()
    world = _World(now=clock.now(), rng=random.Random(seed), summary=DemoSummary(), sign=signing is not None)
    progress = _Progress(console)
    story = Story(story_timeline(world.now), signing, console) if signing is not None else None
    progress.step("organisations and staff")
    async with in_transaction():
        await _buyer_and_staff(world)
        await _policies(world)
    if story is not None:
        progress.step("the story begins: suppliers A and B join the portal")
        await story.run(ONBOARDING)
        world.stated = story.statements_to_come()
    async with in_transaction() as connection:
        progress.step("the other suppliers and everyone's users and certificates")
        await _suppliers(world, onboarded=STORY_SUPPLIERS if story is not None else ())
        progress.step("production plans")
        await _plans(world)
        progress.step(f"{scale.tenders} tenders with sealed bids and awards")
        await _tenders(world, connection, scale.tenders)
        progress.step(f"framework contracts and {scale.orders} purchase orders with receipts")
        await _orders(world, connection, scale.orders)
        progress.step("monthly statements (对账单)")
        await _statements(world, connection)
        progress.step("the audit trail")
        world.events.sort(key=lambda e: e.at)
        await record_events(connection, world.events)
    # Fresh statistics after a bulk load, so the query planner knows, e.g., that a supplier holds a third of the orders.
    await connections.get("default").execute_script("ANALYZE")
    if story is not None:
        progress.step("the story goes on: a plan, a tender, contracts, orders, a receipt and a statement")
        world.summary.story = await story.run(MAIN)
    caught_up = await run_deadlines(clock)  # what the scheduler of a server started now does first
    progress.step(f"the deadline scheduler catches up: {caught_up.total} reminders, overdue notices and escalations")
    await world.summary.count_records()
    return world.summary


# -- parties -----------------------------------------------------------------------------------------------------------

async def _buyer_and_staff(w: _World) -> None:
    w.password_hash = hash_password(DEMO_PASSWORD)
    w.buyer = await m.Organization.create(kind=OrgKind.BUYER, created_at=w.founded, **BUYER)
    for person in STAFF:
        manager = w.staff.get(person.manager) if person.manager else None
        user = await m.User.create(email=person.email, display_name=person.name, organization=w.buyer,
                                   roles=[r.value for r in person.roles], password_hash=w.password_hash,
                                   locale=person.locale, manager=manager, created_at=w.founded)
        w.staff[person.email] = user
        w.summary.users.append((person.email, person.name, BUYER["name_zh"], ", ".join(person.roles)))


async def _suppliers(w: _World, onboarded: tuple[str, ...]) -> None:
    """Every supplier of the catalogue: those in `onboarded` were invited and qualified by the story (their other
    users are added here), the others are seeded as they would stand."""
    admin = w.staff_actor(w.staff["admin@buyer.example"])
    for index, profile in enumerate(SUPPLIERS):
        joined = w.founded + timedelta(days=10 + index * 7)
        if profile.code in onboarded:
            org = await m.Organization.get(code=profile.code)
            w.supplier_users[profile.code] = list(await m.User.filter(organization=org).order_by("created_at"))
            joined = org.qualified_at or joined
        else:
            org = await _seeded_supplier(w, profile, joined, admin)
        w.suppliers[profile.code] = org
        for person in profile.people:
            if not any(user.email == person.email for user in w.supplier_users[profile.code]):
                user = await m.User.create(email=person.email, display_name=person.name, organization=org,
                                           roles=[r.value for r in person.roles], password_hash=w.password_hash,
                                           locale=person.locale, created_at=joined)
                w.supplier_users[profile.code].append(user)
            w.summary.users.append((person.email, person.name, profile.name_zh, ", ".join(person.roles)))
        await _qualification_documents(profile, org, joined)


async def _seeded_supplier(w: _World, profile: SupplierProfile, joined: datetime, admin: Actor) -> m.Organization:
    qualified = profile.status is QualificationStatus.QUALIFIED
    org = await m.Organization.create(
        kind=OrgKind.SUPPLIER, code=profile.code, name_zh=profile.name_zh, name_en=profile.name_en,
        qualification_status=profile.status, categories=list(profile.categories),
        credit_code=profile.credit_code, address=profile.address, contact_email=profile.people[0].email,
        qualified_at=joined + timedelta(days=5) if qualified else None, created_at=joined,
    )
    w.event(joined, admin, "supplier.invited", org, org.id, code=profile.code)
    if qualified:
        w.event(joined + timedelta(days=5), admin, "supplier.qualified", org, org.id)
    return org


async def _qualification_documents(profile: SupplierProfile, org: m.Organization, joined: datetime) -> None:
    qualified = profile.status is QualificationStatus.QUALIFIED
    for doc_index, (kind, title) in enumerate(QUALIFICATION_DOCUMENTS[: 3 if qualified else 1]):
        issued = (joined - timedelta(days=300 - doc_index * 40)).date()
        # One certificate of supplier A expires within the month, so expiry tracking has something to show.
        years = 1 if (profile.code == "SUP-A" and kind == "ISO_9001") else 3
        expires = issued + timedelta(days=365 * years + 25) if kind != "BUSINESS_LICENCE" else None
        await m.QualificationDocument.create(
            organization=org, kind=kind, number=f"{profile.code}-{kind[:3]}-{2024 + doc_index}", title=title,
            issued_on=issued, expires_on=expires, created_at=joined,
        )


async def _policies(w: _World) -> None:
    for kind, hours in DUE_HOURS.items():
        final = {AK.CONTRACT: "EXPIRE_OFFER", AK.PLAN_REVISION: "MARK_UNANSWERED"}.get(kind, "NONE")
        await m.EscalationPolicy.create(kind=kind, due_hours=hours, reminder_hours=REMINDER_HOURS,
                                        escalation_steps=ESCALATION_STEPS, final_action=final, created_at=w.now)
    await m.EscalationPolicy.create(kind=AK.TENDER_BID, due_hours=None, reminder_hours=[48, 4],
                                    escalation_steps=[], final_action="NONE", created_at=w.now)


# -- acknowledgements and documents ------------------------------------------------------------------------------------

async def _acknowledge(w: _World, kind: AK, subject: Any, number: str, supplier_code: str, owner: m.User,
                       sent_at: datetime, *, due_at: datetime | None = None, answered_at: datetime | None = None,
                       rejected: str = "", document: m.Document | None = None) -> m.Acknowledgement:
    due_at = due_at or sent_at + timedelta(hours=DUE_HOURS[kind])
    supplier = w.suppliers[supplier_code]
    values: dict[str, Any] = dict(
        kind=kind, subject_type=type(subject).__name__, subject_id=subject.id, subject_number=number,
        supplier=supplier, owner=owner, document=document, due_at=due_at, created_at=sent_at,
    )
    if answered_at is not None:
        status = AS.REJECTED if rejected else AS.ACKNOWLEDGED
        values.update(status=status, answered_at=answered_at, answered_by=w.supplier_users[supplier_code][0],
                      rejection_reason=rejected, next_action_at=None,
                      reminders_sent=sum(1 for h in REMINDER_HOURS if sent_at < due_at - timedelta(hours=h)
                                         <= answered_at))
    else:  # as sending left it; the scheduler's catch-up at the end reminds, marks overdue and escalates
        values.update(status=AS.PENDING, next_action_at=first_action_time(DEMO_POLICY, sent_at, due_at))
    ack = await m.Acknowledgement.create(**values)
    return ack


async def _document(w: _World, kind: DocumentKind, subject: Any, number: str, title: str, supplier_code: str | None,
                    at: datetime, content: dict[str, Any]) -> m.Document | None:
    """A document record and its first version, whose hash is that of the canonical record; or, when the demo signs
    its documents, a note to issue it for real later (acknowledgements are linked to it then)."""
    if w.sign:
        w.summary.pending_documents.append(PendingDocument(kind, subject, supplier_code))
        return None
    supplier = w.suppliers[supplier_code] if supplier_code else None
    document = await m.Document.create(kind=kind, number=number, title=title, subject_type=type(subject).__name__,
                                       subject_id=subject.id, supplier=supplier, current_version=1, created_at=at)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    await m.DocumentVersion.create(document=document, version=1, sha256=hashlib.sha256(canonical).hexdigest(),
                                   size=len(canonical), storage_key="", created_by=None, created_at=at)
    return document


# -- production plans --------------------------------------------------------------------------------------------------

def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


async def _plans(w: _World) -> None:
    owner = w.procurement
    owner_actor = w.staff_actor(owner)
    suppliers = w.qualified_codes()
    plans = (
        ("华东总装线 2026 年第四季度滚动计划 / Assembly line Q4 rolling plan", 35, 2),
        ("昆山二厂电机产线月度计划 / Kunshan motor line monthly plan", 12, 1),
        ("苏州一厂备件需求预测 / Suzhou Plant 1 spare-parts forecast", 4, 1),
    )
    numbers = await reserve_numbers(None, "plan", w.now.year, len(plans) + 1)
    for (title, age_days, revisions), number in zip(plans, numbers):
        created = w.now - timedelta(days=age_days + 3)
        start = _monday((w.now - timedelta(days=age_days)).date())
        plan = await m.ProductionPlan.create(number=number, title=title, status=PlanStatus.PUBLISHED, owner=owner,
                                             horizon_start=start, horizon_end=start + timedelta(weeks=8),
                                             current_revision=revisions, created_at=created)
        w.event(created, owner_actor, "plan.created", plan, None, number=number)
        for revision_no in range(1, revisions + 1):
            published = created + timedelta(days=1 + (revision_no - 1) * max(2, age_days // 3))
            await _plan_revision(w, plan, revision_no, published, start, suppliers, owner_actor,
                                 latest=revision_no == revisions)
        await m.ProductionPlan.filter(id=plan.id).update(published_at=plan.created_at + timedelta(days=1))
    draft_created = w.now - timedelta(days=1)
    draft = await m.ProductionPlan.create(
        number=numbers[-1], title="2027 年第一季度需求预测（草稿）/ Q1 2027 demand forecast (draft)", owner=owner,
        horizon_start=_monday(w.now.date()) + timedelta(weeks=6), horizon_end=_monday(w.now.date()) + timedelta(weeks=19),
        created_at=draft_created,
    )
    revision = await m.PlanRevision.create(plan=draft, revision=0, note="草稿 / draft", created_at=draft_created)
    await _plan_lines(w, revision, draft.horizon_start, suppliers, weeks=3, factor=Decimal("1.1"))
    w.event(draft_created, owner_actor, "plan.created", draft, None, number=draft.number)


async def _plan_lines(w: _World, revision: m.PlanRevision, start: date, suppliers: list[str], weeks: int,
                      factor: Decimal) -> list[m.PlanLine]:
    lines: list[m.PlanLine] = []
    for code in suppliers:
        profile = profile_of(code)
        items = [item for category in profile.categories for item in items_of(category)][:2]
        for item in items:
            for week in range(weeks):
                plant_code, plant_name, _ = PLANTS[(len(lines) // 2) % len(PLANTS)]
                iso = (start + timedelta(weeks=week)).isocalendar()
                base = Decimal(500 if item.price > 10 else 20000)
                quantity = (base * factor * Decimal(w.rng.randint(8, 14)) / 10).quantize(Decimal(1))
                lines.append(m.PlanLine(
                    revision=revision, line_no=len(lines) + 1, item_code=item.code, item_name=item.name,
                    plant=plant_name, week=f"{iso.year}-W{iso.week:02d}", quantity=quantity, unit=item.unit,
                    expected_supplier=w.suppliers[code], created_at=revision.created_at,
                ))
    await m.PlanLine.bulk_create(lines, batch_size=BATCH)
    return lines


async def _plan_revision(w: _World, plan: m.ProductionPlan, revision_no: int, published: datetime, start: date,
                         suppliers: list[str], owner_actor: Actor, latest: bool) -> None:
    note = "首次发布 / first issue" if revision_no == 1 else "第 2 周数量上调 / week 2 quantities raised"
    revision = await m.PlanRevision.create(plan=plan, revision=revision_no, note=note, published_at=published,
                                           published_by=w.procurement, created_at=published)
    lines = await _plan_lines(w, revision, start, suppliers, weeks=4, factor=Decimal(1 + (revision_no - 1) / 10))
    w.event(published, owner_actor, "plan.published", plan, None, revision=revision_no)
    document = await _document(w, DocumentKind.PRODUCTION_PLAN, revision, f"{plan.number}-R{revision_no}",
                               plan.title, None, published, {"plan": plan.number, "revision": revision_no})
    for index, code in enumerate(suppliers):
        await m.PlanRecipient.create(plan=plan, revision=revision, supplier=w.suppliers[code], created_at=published)
        # Older revisions were answered; of the latest, the first supplier answered, the others are being chased.
        answered = published + timedelta(hours=20) if (not latest or index == 0) else None
        if answered is not None and answered > w.now:
            answered = None
        await _acknowledge(w, AK.PLAN_REVISION, revision, f"{plan.number}-R{revision_no}", code, w.procurement,
                           published, answered_at=answered, document=document)
        if answered is not None:
            w.event(answered, w.supplier_actor(code), "plan.acknowledged", plan, w.suppliers[code].id,
                    revision=revision_no)
            commitments = [
                m.PlanCommitment(line_id=line.id, supplier=w.suppliers[code], committed_by=w.supplier_users[code][0],
                                 quantity=line.quantity if w.rng.random() > 0.2 else (line.quantity * 8 / 10),
                                 note="" if w.rng.random() > 0.2 else "产能受限 / capacity constrained",
                                 created_at=answered)
                for line in lines if line.expected_supplier_id == w.suppliers[code].id
            ]
            await m.PlanCommitment.bulk_create(commitments, batch_size=BATCH)


# -- tenders -----------------------------------------------------------------------------------------------------------

def _tender_status(index: int, count: int) -> TenderStatus:
    from_end = count - index
    if from_end <= 2:
        return TenderStatus.DRAFT
    if from_end <= 2 + max(4, count * 3 // 10):
        return TenderStatus.PUBLISHED
    if index % 7 == 3:
        return TenderStatus.CANCELLED
    if index % 5 == 1:
        return TenderStatus.CLOSED
    return TenderStatus.AWARDED


async def _tenders(w: _World, connection: Any, count: int) -> None:
    owner = w.procurement
    owner_actor = w.staff_actor(owner)
    numbers = await reserve_numbers(connection, "tender", w.now.year, count)
    span = timedelta(days=150)
    for index, number in enumerate(numbers):
        category = TENDER_CATEGORIES[index % len(TENDER_CATEGORIES)]
        status = _tender_status(index, count)
        created = w.now - span + span * index / count
        if status in (TenderStatus.PUBLISHED, TenderStatus.DRAFT):
            created = min(created, w.now - timedelta(days=2))
            closes = w.now + timedelta(days=3 + index % 9, hours=index % 5)
        else:
            closes = created + timedelta(days=10)
        items = items_of(category)
        title_item = items[index % len(items)]
        tender = await m.Tender.create(
            number=number, title=f"{title_item.name_zh} 采购询价 / Sourcing: {title_item.name_en}",
            description="含税价，交货至苏州或昆山工厂。/ Prices include VAT, delivered to the Suzhou or Kunshan plant.",
            status=status, visibility=TenderVisibility.INVITED if index % 3 else TenderVisibility.OPEN,
            category=category, opens_at=created + timedelta(days=1), closes_at=closes, owner=owner,
            published_at=None if status is TenderStatus.DRAFT else created + timedelta(days=1),
            closed_at=closes if status in (TenderStatus.CLOSED, TenderStatus.AWARDED) else None,
            awarded_at=closes + timedelta(days=3) if status is TenderStatus.AWARDED else None,
            cancelled_at=created + timedelta(days=4) if status is TenderStatus.CANCELLED else None,
            cancel_reason="需求变更，项目暂停 / requirement changed, project on hold"
            if status is TenderStatus.CANCELLED else "",
            created_at=created,
        )
        w.event(created, owner_actor, "tender.created", tender, None, number=number)
        lines = [
            m.TenderLine(tender=tender, line_no=n + 1, item_code=item.code, item_name=item.name,
                         specification="符合 GB/T 标准，RoHS / to GB/T standard, RoHS compliant",
                         quantity=Decimal(w.rng.choice([5000, 10000, 20000]) if item.price < 1 else
                                          w.rng.choice([200, 500, 1000])),
                         unit=item.unit, required_by=(closes + timedelta(days=30)).date(), created_at=created)
            for n, item in enumerate(items)
        ]
        await m.TenderLine.bulk_create(lines, batch_size=BATCH)
        if status is TenderStatus.DRAFT:
            continue
        w.event(tender.published_at, owner_actor, "tender.published", tender, None)
        invited = w.qualified_codes(category)
        for code in invited:
            await m.TenderInvitation.create(tender=tender, supplier=w.suppliers[code], created_at=tender.published_at)
        if status is TenderStatus.CANCELLED:
            w.event(tender.cancelled_at, owner_actor, "tender.cancelled", tender, None)
            continue
        bids = await _bids(w, tender, lines, invited, index)
        if status is TenderStatus.PUBLISHED:
            for code in invited:
                bid = bids.get(code)
                await _acknowledge(w, AK.TENDER_BID, tender, number, code, owner, tender.published_at, due_at=closes,
                                   answered_at=bid.submitted_at if bid else None)
            continue
        w.event(closes, None, "tender.closed", tender, None, bids=len(bids))
        await _document(w, DocumentKind.TENDER_OPENING_RECORD, tender, number, f"开标记录 / Opening record {number}",
                        None, closes, {"tender": number, "bids": sorted(b.content_hash for b in bids.values())})
        if status is TenderStatus.AWARDED and bids:
            await _award(w, tender, lines, bids, owner)


async def _bids(w: _World, tender: m.Tender, lines: list[m.TenderLine], invited: list[str],
                index: int) -> dict[str, m.Bid]:
    bids: dict[str, m.Bid] = {}
    open_tender = tender.status is TenderStatus.PUBLISHED
    for position, code in enumerate(invited):
        if open_tender and position == len(invited) - 1 and len(invited) > 1 and index % 2:
            continue  # one invited supplier has not bid yet on some open tenders
        submitted = tender.published_at + timedelta(days=1, hours=3 * position + 1)
        submitted = min(submitted, w.now - timedelta(hours=1))
        priced = []
        for line in lines:
            item = next(i for i in ITEMS if i.code == line.item_code)
            factor = Decimal(w.rng.randint(90, 115)) / 100
            priced.append((line, (item.price * factor).quantize(Decimal("0.0001")), w.rng.choice([15, 20, 30])))
        total = round_amount(sum((line.quantity * price for line, price, _ in priced), Decimal(0)))
        note = "含税，含运费 / VAT and freight included"
        # The hash the bidding workflow gives such a bid, so that `recompute_bid_hash` finds it intact.
        content_hash = content_hash_of(canonical_bid(
            tender.number, code, 1, tender.currency, note,
            [(line.line_no, line.quantity, price, days, "") for line, price, days in priced]))
        bid = await m.Bid.create(tender=tender, supplier=w.suppliers[code], status=BidStatus.SUBMITTED,
                                 currency=tender.currency, total_amount=total, revision=1, submitted_at=submitted,
                                 content_hash=content_hash, note=note, created_at=submitted)
        await m.BidLine.bulk_create([
            m.BidLine(bid=bid, tender_line_id=line.id, unit_price=price, quantity=line.quantity,
                      amount=round_amount(line.quantity * price), delivery_days=days, created_at=submitted)
            for line, price, days in priced
        ], batch_size=BATCH)
        bids[code] = bid
        w.event(submitted, w.supplier_actor(code), "bid.submitted", bid, w.suppliers[code].id, hash=content_hash)
    return bids


async def _award(w: _World, tender: m.Tender, lines: list[m.TenderLine], bids: dict[str, m.Bid],
                 owner: m.User) -> None:
    code, bid = min(bids.items(), key=lambda pair: pair[1].total_amount)
    at = tender.awarded_at
    bid_lines = {bl.tender_line_id: bl for bl in await m.BidLine.filter(bid=bid)}
    for line in lines:
        bl = bid_lines[line.id]
        await m.Award.create(tender=tender, supplier=w.suppliers[code], bid=bid, tender_line_id=line.id,
                             quantity=line.quantity, unit_price=bl.unit_price, amount=bl.amount, awarded_by=owner,
                             created_at=at)
    w.event(at, w.staff_actor(owner), "tender.awarded", tender, w.suppliers[code].id, supplier=code)
    await _document(w, DocumentKind.AWARD_NOTICE, tender, tender.number, f"中标通知书 / Award notice {tender.number}",
                    code, at, {"tender": tender.number, "supplier": code, "total": str(bid.total_amount)})
    # The contract that follows the award.
    contract_lines = [(line, bid_lines[line.id].unit_price) for line in lines]
    await _contract(w, code, f"{tender.title}（中标合同 / awarded contract）", at + timedelta(days=2), contract_lines,
                    tender=tender)


# -- contracts, orders and receipts ------------------------------------------------------------------------------------

async def _contract(w: _World, code: str, title: str, issued: datetime, lines: list[tuple[Any, Decimal]],
                    tender: m.Tender | None = None, framework: bool = False, amends: m.Contract | None = None,
                    pending: bool = False) -> m.Contract:
    owner = w.procurement
    [number] = await reserve_numbers(None, "contract", w.now.year)
    # Amendments still wait for the supplier; one in six awarded contracts was turned down.
    rejected = not framework and not pending and w.contracts_made % 6 == 4
    signed = None if (pending or rejected) else issued + timedelta(days=2)
    status = ContractStatus.ISSUED if pending else ContractStatus.REJECTED if rejected else ContractStatus.SIGNED
    valid_from = issued.date()
    contract = await m.Contract.create(
        number=number, title=title[:200], supplier=w.suppliers[code], status=status, tender=tender, owner=owner,
        amends=amends,
        valid_from=valid_from, valid_to=valid_from + timedelta(days=365), issued_at=issued, signed_at=signed,
        rejected_at=issued + timedelta(days=3) if rejected else None,
        rejection_reason="交期无法满足 / cannot meet the delivery dates" if rejected else "", created_at=issued,
    )
    rows = []
    total = Decimal(0)
    for n, (line, price) in enumerate(lines, start=1):
        quantity = line.quantity if hasattr(line, "quantity") else Decimal(0)
        amount = round_amount(quantity * price)
        total += amount
        rows.append(m.ContractLine(contract=contract, line_no=n, item_code=line.item_code, item_name=line.item_name,
                                   quantity=quantity, unit=line.unit, unit_price=price, amount=amount,
                                   created_at=issued))
    await m.ContractLine.bulk_create(rows, batch_size=BATCH)
    await m.Contract.filter(id=contract.id).update(total_amount=total)
    contract.total_amount = total
    w.contracts_made += 1
    owner_actor = w.staff_actor(owner)
    w.event(issued, owner_actor, "contract.issued", contract, contract.supplier_id, number=number)
    document = await _document(w, DocumentKind.CONTRACT, contract, number, contract.title, code, issued,
                               {"contract": number, "total": str(total)})
    answered = signed or contract.rejected_at
    await _acknowledge(w, AK.CONTRACT, contract, number, code, owner, issued, answered_at=answered,
                       rejected=contract.rejection_reason, document=document)
    if signed:
        w.event(signed, w.supplier_actor(code), "contract.signed", contract, contract.supplier_id)
    elif rejected:
        w.event(contract.rejected_at, w.supplier_actor(code), "contract.rejected", contract, contract.supplier_id)
    return contract


@dataclass(frozen=True)
class _FrameworkLine:
    item_code: str
    item_name: str
    unit: str
    quantity: Decimal


async def _frameworks(w: _World) -> None:
    issued = w.now - timedelta(days=200)
    for code in w.qualified_codes():
        profile = profile_of(code)
        items: list[Item] = [item for category in profile.categories for item in items_of(category)]
        lines = [(_FrameworkLine(i.code, i.name, i.unit, Decimal(0)), i.price) for i in items]
        w.framework[code] = await _contract(
            w, code, f"{w.now.year} 年度采购框架协议 / {w.now.year} annual purchasing framework agreement", issued,
            lines, framework=True)
        for item in items:
            w.framework_prices[(code, item.code)] = item.price
    # A price amendment to each framework, sent a day, four days and a week ago: pending, reminded, escalated.
    for position, code in enumerate(w.qualified_codes()):
        framework = w.framework[code]
        item = next(i for i in ITEMS if i.category in profile_of(code).categories)
        price = (item.price * Decimal("0.97")).quantize(Decimal("0.0001"))
        await _contract(w, code, f"{framework.number} 价格调整补充协议 / price amendment to {framework.number}",
                        w.now - timedelta(days=1 + 3 * position), [(_FrameworkLine(item.code, item.name, item.unit,
                                                                                   Decimal(0)), price)],
                        amends=framework, pending=True)


def _order_age_hours(index: int, count: int, rng: random.Random) -> float:
    """The last nine orders are the ones being chased: three each of pending, overdue and escalated."""
    from_end = count - index
    if from_end <= 9:
        return (5.0, 50.0, 78.0)[(from_end - 1) // 3]
    return 24 * (4 + (count - 9 - index) * 116 / max(1, count - 9)) + rng.random()


async def _orders(w: _World, connection: Any, count: int) -> None:
    await _frameworks(w)
    owner = w.procurement
    owner_actor = w.staff_actor(owner)
    codes = w.qualified_codes()
    numbers = await reserve_numbers(connection, "order", w.now.year, count)
    receipt_numbers = iter(await reserve_numbers(connection, "receipt", w.now.year, count))
    for start in range(0, count, BATCH):
        orders: list[m.PurchaseOrder] = []
        lines: list[m.PurchaseOrderLine] = []
        receipts: list[m.GoodsReceipt] = []
        receipt_lines: list[m.GoodsReceiptLine] = []
        for index in range(start, min(count, start + BATCH)):
            code = codes[index % len(codes)]
            issued = w.now - timedelta(hours=_order_age_hours(index, count, w.rng))
            order, order_lines = _order(w, code, numbers[index], issued, index, count)
            orders.append(order)
            lines.extend(order_lines)
            receipt = _receipt(w, order, order_lines, next(receipt_numbers))
            if receipt is not None:
                receipts.append(receipt[0])
                receipt_lines.extend(receipt[1])
        await m.PurchaseOrder.bulk_create(orders, batch_size=BATCH)
        await m.PurchaseOrderLine.bulk_create(lines, batch_size=BATCH)
        await m.GoodsReceipt.bulk_create(receipts, batch_size=BATCH)
        await m.GoodsReceiptLine.bulk_create(receipt_lines, batch_size=BATCH)
        for order in orders:
            await _order_follow_up(w, order, owner, owner_actor)
        for receipt in receipts:
            w.event(receipt.received_at, owner_actor, "receipt.recorded", receipt, receipt.supplier_id,
                    number=receipt.number)


def _order(w: _World, code: str, number: str, issued: datetime, index: int,
           count: int) -> tuple[m.PurchaseOrder, list[m.PurchaseOrderLine]]:
    age = w.now - issued
    contract = w.framework[code]
    if age < timedelta(hours=90) and count - index <= 9:
        status = OrderStatus.ISSUED
    elif index % 17 == 5:
        status = OrderStatus.CANCELLED
    elif age < timedelta(days=6) and index % 3 == 1:
        status = OrderStatus.CHANGE_PROPOSED
    elif age > timedelta(days=30):
        status = OrderStatus.CLOSED
    else:
        status = OrderStatus.CONFIRMED
    plant_code, plant_name, address = PLANTS[index % len(PLANTS)]
    order = m.PurchaseOrder(
        number=number, supplier=w.suppliers[code], contract=contract, status=status, plant=plant_name,
        delivery_address=address, owner=w.procurement, issued_at=issued, created_at=issued,
        confirmed_at=issued + timedelta(hours=20) if status in (OrderStatus.CONFIRMED, OrderStatus.CLOSED) else None,
        cancelled_at=issued + timedelta(days=1) if status is OrderStatus.CANCELLED else None,
    )
    profile = profile_of(code)
    items = [item for category in profile.categories for item in items_of(category)]
    chosen = w.rng.sample(items, k=min(len(items), 1 + (index // 3) % 3))
    lines = []
    total = Decimal(0)
    for n, item in enumerate(chosen, start=1):
        quantity = Decimal(w.rng.choice([2000, 5000, 10000]) if item.price < 1 else w.rng.choice([100, 200, 500]))
        price = w.framework_prices[(code, item.code)]
        amount = round_amount(quantity * price)
        total += amount
        change = status is OrderStatus.CHANGE_PROPOSED and n == 1
        lines.append(m.PurchaseOrderLine(
            order_id=order.id, line_no=n, item_code=item.code, item_name=item.name, quantity=quantity, unit=item.unit,
            unit_price=price, amount=amount, delivery_date=(issued + timedelta(days=14 + n)).date(),
            proposed_quantity=quantity * 8 / 10 if change else None,
            proposed_delivery_date=(issued + timedelta(days=21)).date() if change else None,
            change_note="原材料紧张，建议分批交货 / raw material shortage, propose a partial delivery" if change else "",
            created_at=issued,
        ))
    order.total_amount = total
    return order, lines


def _receipt(w: _World, order: m.PurchaseOrder,
             lines: list[m.PurchaseOrderLine], number: str) -> tuple[m.GoodsReceipt, list[m.GoodsReceiptLine]] | None:
    if order.status not in (OrderStatus.CLOSED, OrderStatus.CONFIRMED):
        return None
    received_at = order.issued_at + timedelta(days=7 + w.rng.randint(0, 6))
    if received_at >= w.now:
        return None
    full = order.status is OrderStatus.CLOSED
    receipt = m.GoodsReceipt(number=number, order_id=order.id, supplier_id=order.supplier_id, received_at=received_at,
                             plant=order.plant, recorded_by=w.procurement, created_at=received_at,
                             note="" if full else "部分到货 / partial delivery")
    receipt_lines = []
    for line in lines:
        received = line.quantity if full else (line.quantity / 2).quantize(Decimal(1))
        rejected = (received / 100).quantize(Decimal(1)) if w.rng.random() < 0.15 else Decimal(0)
        line.received_quantity = received
        receipt_lines.append(m.GoodsReceiptLine(receipt_id=receipt.id, order_line_id=line.id, received_quantity=received,
                                                rejected_quantity=rejected, created_at=received_at))
    if full:
        order.closed_at = received_at
    return receipt, receipt_lines


async def _order_follow_up(w: _World, order: m.PurchaseOrder, owner: m.User, owner_actor: Actor) -> None:
    code = w.code_of(order.supplier_id)
    w.event(order.issued_at, owner_actor, "order.issued", order, order.supplier_id, number=order.number)
    if order.status is OrderStatus.CANCELLED:
        w.event(order.cancelled_at, owner_actor, "order.cancelled", order, order.supplier_id)
        return
    document = await _document(w, DocumentKind.PURCHASE_ORDER, order, order.number,
                               f"采购订单 / Purchase order {order.number}", code, order.issued_at,
                               {"order": order.number, "total": str(order.total_amount)})
    answered = order.confirmed_at
    if order.status is OrderStatus.CHANGE_PROPOSED:
        answered = order.issued_at + timedelta(hours=6)
    await _acknowledge(w, AK.PURCHASE_ORDER, order, order.number, code, owner, order.issued_at,
                       answered_at=answered, document=document)
    if order.confirmed_at:
        w.event(order.confirmed_at, w.supplier_actor(code), "order.confirmed", order, order.supplier_id)
    if order.status is OrderStatus.CHANGE_PROPOSED:
        w.event(answered, w.supplier_actor(code), "order.change_proposed", order, order.supplier_id)
    if order.closed_at:
        w.event(order.closed_at, owner_actor, "order.closed", order, order.supplier_id)


# -- statements --------------------------------------------------------------------------------------------------------

def _month(day: date, months_back: int) -> Period:
    year, month = day.year, day.month - months_back
    while month < 1:
        year, month = year - 1, month + 12
    return Period(year, month)


async def _statements(w: _World, connection: Any) -> None:
    owner = w.accounting
    owner_actor = w.staff_actor(owner)
    for months_back in (2, 1):
        period = _month(w.now.astimezone(BUYER_TIME_ZONE).date(), months_back)
        issued = min(period.ends_at + timedelta(days=2, hours=10), w.now - timedelta(hours=30))
        for position, code in enumerate(w.qualified_codes()):
            if (code, period.label) in w.stated:
                continue  # the story's own statement
            [number] = await reserve_numbers(connection, "statement", w.now.year)
            statement = await _statement(w, code, number, period, issued, owner, connection)
            w.event(issued, owner_actor, "statement.issued", statement, statement.supplier_id, number=number)
            document = await _document(w, DocumentKind.STATEMENT, statement, number,
                                       f"对账单 / Statement {statement.period}", code, issued,
                                       {"statement": number, "total": str(statement.total_amount)})
            answered: datetime | None = None
            if months_back == 2:
                answered = issued + timedelta(days=2)
                await m.Statement.filter(id=statement.id).update(status=StatementStatus.CONFIRMED,
                                                                 confirmed_at=answered)
                w.event(answered, w.supplier_actor(code), "statement.confirmed", statement, statement.supplier_id)
            elif position == 1:
                answered = issued + timedelta(days=1)
                await _dispute(w, statement, code, answered)
            await _acknowledge(w, AK.STATEMENT, statement, number, code, owner, issued, answered_at=answered,
                               rejected="数量与我方发货记录不符 / quantities differ from our delivery records"
                               if position == 1 and months_back == 1 else "", document=document)


async def _statement(w: _World, code: str, number: str, period: Period, issued: datetime, owner: m.User,
                     connection: Any) -> m.Statement:
    """An ISSUED statement with the lines and totals the statement workflow would give the month's receipts."""
    supplier = w.suppliers[code]
    figures = await statement_figures(supplier.id, period, (), connection)
    statement = await m.Statement.create(
        number=number, supplier=supplier, period=period.label, period_start=period.first_day,
        period_end=period.last_day, status=StatementStatus.ISSUED, currency=figures.currency,
        goods_amount=figures.goods_amount, deduction_amount=figures.deduction_amount,
        total_amount=figures.total_amount, owner=owner, issued_at=issued, created_at=issued)
    await m.StatementLine.bulk_create([
        m.StatementLine(statement=statement, line_no=n, kind=line.kind, receipt_line_id=line.receipt_line_id,
                        description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                        amount=line.amount, created_at=issued)
        for n, line in enumerate(figures.lines, start=1)
    ], batch_size=BATCH)
    return statement


async def _dispute(w: _World, statement: m.Statement, code: str, at: datetime) -> None:
    line = await m.StatementLine.filter(statement=statement, kind=StatementLineKind.RECEIPT).order_by("line_no").first()
    await m.Dispute.create(statement=statement, statement_line=line, raised_by=w.supplier_users[code][0], created_at=at,
                           reason="数量与我方发货记录不符 / quantities differ from our delivery records")
    await m.Statement.filter(id=statement.id).update(status=StatementStatus.DISPUTED, disputed_at=at)
    w.event(at, w.supplier_actor(code), "statement.disputed", statement, statement.supplier_id)
