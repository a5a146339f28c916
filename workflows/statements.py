"""Monthly statements (对账单): generated from goods receipts × agreed prices, issued signed, confirmed or disputed.

Generation prices every goods receipt line of the supplier received in the month (in the buyer's time zone,
Asia/Shanghai) at its order line's agreed unit price. A receipt line is stated for its accepted quantity (received
minus rejected): rejected goods are simply not paid, and are not priced a second time as a deduction (the line's
description says how much was rejected). Deduction lines are the penalties and claims accounting gives as input.
Every line amount is rounded half up to the cent, then summed, and the lines come in a fixed order, so the same
receipts and deductions always give the same statement, to the cent.

A statement already issued or disputed for the supplier and month is revised by generating again: the new one is
version n + 1 with `previous` set, and issuing it supersedes the old one (which stays, with its document).
"""

from __future__ import annotations

import dataclasses
import logging
import re
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import AcknowledgementKind, OrgKind, Role, StatementLineKind, StatementStatus
from domain.errors import Conflict, DomainError, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import (
    Dispute, DocumentVersion, GoodsReceipt, GoodsReceiptLine, Organization, Statement, StatementLine,
)
from domain.money import DEFAULT_CURRENCY, round_amount
from workflows import transitions as tt
from workflows import visibility
from workflows.audit import record_event
from workflows.deadlines.acknowledgements import close_acknowledgements, open_acknowledgement
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.deadlines.policies import due_time, policy_for
from workflows.documents import subjects
from workflows.idempotency import create_once
from workflows.numbering import reserve_numbers

log = logging.getLogger(__name__)

STATEMENT_ROLES = frozenset({Role.ACCOUNTING, Role.ADMIN})
PERIOD_FORMAT = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")
MAX_DEDUCTIONS = 100
MAX_DESCRIPTION_LENGTH = 300
MAX_REASON_LENGTH = 1000
MAX_DISPUTED_LINES = 500
MAX_AMOUNT = Decimal("1e15")


# -- inputs ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month in the buyer's time zone."""

    year: int
    month: int

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def next_first_day(self) -> date:
        return date(self.year + (self.month == 12), self.month % 12 + 1, 1)

    @property
    def last_day(self) -> date:
        return self.next_first_day - timedelta(days=1)

    # In UTC, as times are stored: SQLite compares them as text, so the bounds must be in the same zone.
    @property
    def starts_at(self) -> datetime:
        """The first instant of the month in Shanghai, in UTC."""
        return datetime.combine(self.first_day, datetime.min.time(), tzinfo=BUYER_TIME_ZONE).astimezone(UTC)

    @property
    def ends_at(self) -> datetime:
        """The first instant after the month (the exclusive bound), in UTC."""
        return datetime.combine(self.next_first_day, datetime.min.time(), tzinfo=BUYER_TIME_ZONE).astimezone(UTC)


def parse_period(text: str, field: str = "period") -> Period:
    """`2026-03` -> Period(2026, 3); anything else is refused, naming `field`."""
    match = PERIOD_FORMAT.fullmatch((text or "").strip())
    if match is None or int(match.group(1)) < 2000:
        raise ValidationFailed("a period is a month written YYYY-MM, e.g. 2026-03", field=field)
    return Period(int(match.group(1)), int(match.group(2)))


@dataclass(frozen=True)
class DeductionInput:
    """A penalty or claim taken off the statement: a positive amount in the statement's currency, in cents."""

    description: str
    amount: Decimal


@dataclass(frozen=True)
class DisputedLine:
    """A statement line the supplier disputes, and why."""

    line_id: uuid.UUID
    reason: str


def _checked_deductions(deductions: Sequence[DeductionInput]) -> tuple[DeductionInput, ...]:
    if len(deductions) > MAX_DEDUCTIONS:
        raise ValidationFailed(f"a statement takes at most {MAX_DEDUCTIONS} deductions", field="deductions")
    checked = []
    for index, deduction in enumerate(deductions):
        where = f"deductions[{index}]"
        description = (deduction.description or "").strip()
        if not 1 <= len(description) <= MAX_DESCRIPTION_LENGTH:
            raise ValidationFailed(f"a deduction's description has 1 to {MAX_DESCRIPTION_LENGTH} characters",
                                   field=f"{where}.description")
        amount = deduction.amount
        if not isinstance(amount, Decimal) or not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT:
            raise ValidationFailed("a deduction's amount is a positive amount of money", field=f"{where}.amount",
                                   code="AMOUNT_NOT_POSITIVE")
        if amount.as_tuple().exponent < -2 and amount != round_amount(amount):
            raise ValidationFailed("a deduction's amount has at most 2 decimals (cents)", field=f"{where}.amount")
        checked.append(DeductionInput(description, round_amount(amount)))
    return tuple(checked)


def _require_statement_role(actor: Actor, doing: str) -> None:
    if not (actor.is_staff and actor.has_any(STATEMENT_ROLES)):
        raise PermissionDenied(f"to {doing} takes the role ACCOUNTING or ADMIN")


# -- the figures -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineDraft:
    """A statement line before it is stored; `amount` is negative for a deduction."""

    kind: StatementLineKind
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    receipt_line_id: uuid.UUID | None = None


@dataclass(frozen=True)
class StatementFigures:
    currency: str
    lines: tuple[LineDraft, ...]
    goods_amount: Decimal
    deduction_amount: Decimal

    @property
    def total_amount(self) -> Decimal:
        return self.goods_amount - self.deduction_amount


def _quantity_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _receipt_description(receipt_number: str, item_name: str, rejected: Decimal, unit: str) -> str:
    text = f"{receipt_number} {item_name}"
    if rejected > 0:
        amount = _quantity_text(rejected)
        text += f"（拒收 {amount} {unit} / {amount} {unit} rejected）"
    return text[:MAX_DESCRIPTION_LENGTH]


async def statement_figures(supplier_id: uuid.UUID, period: Period, deductions: Sequence[DeductionInput],
                            connection: BaseDBAsyncClient | None = None) -> StatementFigures:
    """The lines and totals of the supplier's statement for `period`: a pure function of the receipts and prices in
    the database and of `deductions` (in the order given)."""
    rows = await GoodsReceiptLine.filter(
        receipt__supplier_id=supplier_id, receipt__received_at__gte=period.starts_at,
        receipt__received_at__lt=period.ends_at,
    ).using_db(connection).select_related("receipt", "order_line", "order_line__order")
    # A fixed order, whatever order the database returns the rows in.
    rows.sort(key=lambda row: (row.receipt.received_at, row.receipt.number, row.order_line.order.number,
                               row.order_line.line_no, str(row.id)))
    currencies = sorted({row.order_line.order.currency for row in rows})
    if len(currencies) > 1:
        raise ValidationFailed(
            f"the receipts of {period.label} are in several currencies ({', '.join(currencies)}); "
            "a statement has one", field="supplierId", code="MIXED_CURRENCIES")
    lines: list[LineDraft] = []
    goods = Decimal(0)
    for row in rows:
        order_line = row.order_line
        # Receipt recording never lets rejected exceed received; a stated quantity is never negative.
        accepted = max(row.received_quantity - row.rejected_quantity, Decimal(0))
        amount = round_amount(accepted * order_line.unit_price)
        goods += amount
        lines.append(LineDraft(
            StatementLineKind.RECEIPT,
            _receipt_description(row.receipt.number, order_line.item_name, row.rejected_quantity, order_line.unit),
            accepted, order_line.unit_price, amount, row.id))
    deducted = Decimal(0)
    for deduction in deductions:
        amount = round_amount(deduction.amount)
        deducted += amount
        lines.append(LineDraft(StatementLineKind.DEDUCTION, deduction.description, Decimal(1), amount, -amount))
    return StatementFigures(currencies[0] if currencies else DEFAULT_CURRENCY, tuple(lines), goods, deducted)


# -- generating ------------------------------------------------------------------------------------------------------


def _local_year(at: datetime) -> int:
    return at.astimezone(BUYER_TIME_ZONE).year


async def _number_for(connection: BaseDBAsyncClient, supplier_id: uuid.UUID, period: Period, version: int,
                      at: datetime) -> str:
    """Version 1 takes the next DZD number; a revision is the first version's number with `-V<n>`."""
    if version == 1:
        [number] = await reserve_numbers(connection, "statement", _local_year(at))
        return number
    first = await Statement.filter(supplier_id=supplier_id, period=period.label, version=1).using_db(
        connection).first()
    if first is None:  # cannot happen: versions start at 1
        [number] = await reserve_numbers(connection, "statement", _local_year(at))
        return number
    return f"{first.number}-V{version}"


async def _create_statement(connection: BaseDBAsyncClient, actor: Actor, supplier: Organization, period: Period,
                            deductions: tuple[DeductionInput, ...], now: datetime) -> Statement:
    latest = await Statement.filter(supplier_id=supplier.id, period=period.label).using_db(connection).order_by(
        "-version").first()
    # The version the new one revises: the latest, or, when the latest is a draft that never went out, what that
    # draft revised (the draft itself is replaced).
    revised = latest
    if latest is not None and latest.status is StatementStatus.DRAFT:
        revised = await Statement.filter(id=latest.previous_id).using_db(connection).first() \
            if latest.previous_id else None
    if revised is not None and revised.status is StatementStatus.CONFIRMED:
        raise IllegalTransition(
            f"statement {revised.number} of {supplier.code} for {period.label} was confirmed by the supplier: "
            "it is final", field="period", code="STATEMENT_CONFIRMED")
    if latest is not None and latest.status is StatementStatus.DRAFT:
        await tt.apply(connection, tt.STATEMENT, latest, "supersede", actor=actor, at=now,
                       data={"reason": "regenerated"})
    figures = await statement_figures(supplier.id, period, deductions, connection)
    if not figures.lines:
        raise ValidationFailed(
            f"{supplier.code} has no goods receipts in {period.label} and no deductions were given: nothing to state",
            field="period", code="NOTHING_TO_STATE")
    version = (latest.version + 1) if latest is not None else 1
    number = await _number_for(connection, supplier.id, period, version, now)
    statement = await Statement.create(
        number=number, supplier_id=supplier.id, period=period.label, period_start=period.first_day,
        period_end=period.last_day, version=version, previous_id=revised.id if revised else None,
        currency=figures.currency,
        goods_amount=figures.goods_amount, deduction_amount=figures.deduction_amount,
        total_amount=figures.total_amount, owner_id=actor.user_id, created_at=now, using_db=connection)
    await StatementLine.bulk_create([
        StatementLine(statement_id=statement.id, line_no=n, kind=line.kind, receipt_line_id=line.receipt_line_id,
                      description=line.description, quantity=line.quantity, unit_price=line.unit_price,
                      amount=line.amount, created_at=now)
        for n, line in enumerate(figures.lines, start=1)
    ], using_db=connection)
    await record_event(connection, at=now, actor=actor, action="statement.generate", subject_type="Statement",
                       subject_id=statement.id, supplier_id=supplier.id, data={
                           "number": number, "period": period.label, "version": version,
                           "goods": str(figures.goods_amount), "deductions": str(figures.deduction_amount),
                           "total": str(figures.total_amount), "lines": len(figures.lines)})
    return statement


async def generate_statement(actor: Actor, supplier_id: uuid.UUID | None, period: str, *, clock: Clock,
                             deductions: Sequence[DeductionInput] = (),
                             idempotency_key: str | None = None) -> Statement:
    """A DRAFT statement of the supplier for the month `period` (YYYY-MM), with `deductions`.

    Refused when the actor is not accounting or an admin, the supplier does not exist, the month has not begun,
    the month's statement was already confirmed, or there is nothing to state. With an idempotency key, a retried
    request returns the first one's statement."""
    _require_statement_role(actor, "generate a statement")
    parsed = parse_period(period)
    checked = _checked_deductions(deductions)
    supplier = await visibility.get_visible(visibility.suppliers(actor), supplier_id)
    if supplier is None or supplier.kind is not OrgKind.SUPPLIER:
        raise NotFound("no such supplier", field="supplierId")
    now = clock.now()
    if parsed.starts_at > now:
        raise ValidationFailed(f"{parsed.label} has not begun yet", field="period", code="PERIOD_NOT_STARTED")
    request = {"supplierId": str(supplier.id), "period": parsed.label,
               "deductions": [{"description": d.description, "amount": str(d.amount)} for d in checked]}

    async def create(connection: BaseDBAsyncClient) -> Statement:
        return await _create_statement(connection, actor, supplier, parsed, checked, now)

    try:
        statement, _ = await create_once(actor, "generateStatement", idempotency_key, request, create,
                                         lambda statement_id: Statement.get(id=statement_id))
    except IntegrityError as error:
        # Two generations for one supplier and month at once: one version number, one winner.
        raise Conflict(f"a statement of {supplier.code} for {parsed.label} was generated meanwhile; reload and "
                       "try again", field="period") from error
    return statement


class OutcomeKind(StrEnum):
    GENERATED = "GENERATED"
    SKIPPED = "SKIPPED"  # a statement of the month already exists
    FAILED = "FAILED"


@dataclass(frozen=True)
class SupplierOutcome:
    supplier_code: str
    kind: OutcomeKind
    message: str
    statement: Statement | None = None


@dataclass(frozen=True)
class BulkResult:
    period: str
    outcomes: tuple[SupplierOutcome, ...]

    def count(self, kind: OutcomeKind) -> int:
        return sum(1 for outcome in self.outcomes if outcome.kind is kind)

    @property
    def failed(self) -> bool:
        return any(outcome.kind is OutcomeKind.FAILED for outcome in self.outcomes)


Progress = Callable[[int, int, SupplierOutcome | None], None]


async def generate_statements(period: str, actor: Actor, clock: Clock,
                              progress: Progress | None = None) -> BulkResult:
    """Generate the month's DRAFT statement of every supplier with goods receipts in `period`, one transaction per
    supplier, in supplier code order. A supplier that already has a statement of the month is skipped (so running it
    again is harmless); one that fails is reported and the others go on. `progress(done, total, outcome)` is called
    once before the first supplier (outcome None) and after each."""
    _require_statement_role(actor, "generate statements")
    parsed = parse_period(period)
    supplier_ids = await GoodsReceipt.filter(received_at__gte=parsed.starts_at, received_at__lt=parsed.ends_at) \
        .distinct().values_list("supplier_id", flat=True)
    suppliers = await Organization.filter(id__in=list(set(supplier_ids))).order_by("code")
    existing = {row.supplier_id: row for row in await Statement.filter(
        period=parsed.label, supplier_id__in=[s.id for s in suppliers]).order_by("version")}
    total = len(suppliers)
    if progress is not None:
        progress(0, total, None)
    outcomes: list[SupplierOutcome] = []
    for done, supplier in enumerate(suppliers, start=1):
        outcome = await _generate_one(actor, supplier, parsed, existing.get(supplier.id), clock)
        outcomes.append(outcome)
        if progress is not None:
            progress(done, total, outcome)
    return BulkResult(parsed.label, tuple(outcomes))


async def _generate_one(actor: Actor, supplier: Organization, period: Period, existing: Statement | None,
                        clock: Clock) -> SupplierOutcome:
    if existing is not None:
        return SupplierOutcome(supplier.code, OutcomeKind.SKIPPED,
                               f"{existing.number} (version {existing.version}) is {existing.status.lower()}",
                               existing)
    try:
        statement = await generate_statement(actor, supplier.id, period.label, clock=clock)
    except DomainError as error:
        return SupplierOutcome(supplier.code, OutcomeKind.FAILED, error.message)
    except Exception as error:  # noqa: BLE001 - one supplier's failure must not stop the others
        log.exception("generating the %s statement of %s failed", period.label, supplier.code)
        return SupplierOutcome(supplier.code, OutcomeKind.FAILED, f"{type(error).__name__}: {error}")
    return SupplierOutcome(supplier.code, OutcomeKind.GENERATED,
                           f"{statement.number}: {statement.currency} {statement.total_amount:,.2f}", statement)


# -- issuing ---------------------------------------------------------------------------------------------------------


async def issue_statement(actor: Actor, statement_id: uuid.UUID | None, *, clock: Clock,
                          documents) -> Statement:  # noqa: ANN001 - a DocumentService
    """DRAFT -> ISSUED: the buyer-signed PDF, and an acknowledgement to the supplier linked to it; issuing a revision
    supersedes the version it revises (whose open acknowledgement is cancelled).

    The PDF is rendered and signed first; the document, the status changes and the acknowledgement are then recorded
    in one transaction, so a failure anywhere leaves the statement a draft, with nothing half-issued."""
    statement = await visibility.get_visible(visibility.statements(actor), statement_id)
    if statement is None:
        raise NotFound("no such statement", field="id")
    tt.check(tt.STATEMENT, statement, "issue", actor)
    previous = await Statement.get_or_none(id=statement.previous_id) if statement.previous_id else None
    if previous is not None and previous.status not in tt.STATEMENT["supersede"].sources:
        raise IllegalTransition(
            f"{previous.number}, which {statement.number} revises, is {previous.status.lower()} meanwhile: it cannot "
            "be revised any more", field="id",
            code="STATEMENT_CONFIRMED" if previous.status is StatementStatus.CONFIRMED else None)
    now = clock.now()
    due = await due_time(await policy_for(AcknowledgementKind.STATEMENT), now)
    # The document shows the statement as it will be once issued.
    statement.issued_at = now
    subject, context = await subjects.statement_document(statement, documents.letterhead)
    context = dataclasses.replace(context, confirm_by=due)

    async def within(connection: BaseDBAsyncClient, version: DocumentVersion) -> None:
        await tt.apply(connection, tt.STATEMENT, statement, "issue", actor=actor, at=now,
                       data={"number": statement.number, "document": str(version.document_id),
                             "total": str(statement.total_amount)})
        if previous is not None:
            await close_acknowledgements(connection, previous, name="cancel", actor=actor, at=now)
            await tt.apply(connection, tt.STATEMENT, previous, "supersede", actor=actor, at=now,
                           data={"by": statement.number})
        await open_acknowledgement(connection, kind=AcknowledgementKind.STATEMENT, subject=statement,
                                   number=statement.number, supplier_id=statement.supplier_id,
                                   owner_id=statement.owner_id, sent_at=now, document_id=version.document_id,
                                   due_at=due)

    await documents.issue(subject, context, actor=actor, within=within)
    return statement


# -- disputing -------------------------------------------------------------------------------------------------------


def _checked_dispute(lines: Sequence[DisputedLine], reason: str) -> tuple[tuple[DisputedLine, ...], str]:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationFailed(f"a reason has at most {MAX_REASON_LENGTH} characters", field="reason")
    if not lines and not reason:
        raise ValidationFailed("name the disputed lines with a reason each, or give a reason for the whole "
                               "statement", field="lines", code="NOTHING_DISPUTED")
    if len(lines) > MAX_DISPUTED_LINES:
        raise ValidationFailed(f"at most {MAX_DISPUTED_LINES} lines at once", field="lines")
    checked, seen = [], set()
    for index, line in enumerate(lines):
        text = (line.reason or "").strip()
        if not 1 <= len(text) <= MAX_REASON_LENGTH:
            raise ValidationFailed(f"say why this line is wrong (1 to {MAX_REASON_LENGTH} characters)",
                                   field=f"lines[{index}].reason")
        if line.line_id in seen:
            raise ValidationFailed("this line is disputed twice", field=f"lines[{index}].lineId",
                                   code="DUPLICATE_LINE")
        seen.add(line.line_id)
        checked.append(DisputedLine(line.line_id, text))
    return tuple(checked), reason


def _summary(statement_lines: dict[uuid.UUID, StatementLine], lines: Sequence[DisputedLine], reason: str) -> str:
    parts = [reason] if reason else []
    parts += [f"#{statement_lines[line.line_id].line_no}: {line.reason}" for line in lines]
    text = "; ".join(parts)
    return text if len(text) <= MAX_REASON_LENGTH else text[:MAX_REASON_LENGTH - 1] + "…"


async def dispute_statement(actor: Actor, statement_id: uuid.UUID | None, lines: Sequence[DisputedLine], *,
                            reason: str = "", clock: Clock) -> Statement:
    """The supplier disputes an ISSUED statement: one Dispute per disputed line (and one for the whole statement
    when a general reason is given), the statement DISPUTED, its acknowledgement closed as rejected. Accounting then
    generates a revised version."""
    statement = await visibility.get_visible(visibility.statements(actor), statement_id)
    if statement is None:
        raise NotFound("no such statement", field="id")
    checked, reason = _checked_dispute(lines, reason)
    tt.check(tt.STATEMENT, statement, "dispute", actor)
    wanted = [line.line_id for line in checked]
    found = {row.id: row for row in await StatementLine.filter(statement_id=statement.id, id__in=wanted)}
    for index, line in enumerate(checked):
        if line.line_id not in found:
            raise NotFound("no such line on this statement", field=f"lines[{index}].lineId")
    now = clock.now()
    async with in_transaction() as connection:
        await tt.apply(connection, tt.STATEMENT, statement, "dispute", actor=actor, at=now,
                       data={"lines": [found[line.line_id].line_no for line in checked]})
        disputes = [Dispute(statement_id=statement.id, statement_line_id=line.line_id, reason=line.reason,
                            raised_by_id=actor.user_id, created_at=now) for line in checked]
        if reason:
            disputes.append(Dispute(statement_id=statement.id, statement_line_id=None, reason=reason,
                                    raised_by_id=actor.user_id, created_at=now))
        await Dispute.bulk_create(disputes, using_db=connection)
        await close_acknowledgements(connection, statement, name="reject", actor=actor, at=now,
                                     supplier_id=actor.org_id, reason=_summary(found, checked, reason))
    return statement
