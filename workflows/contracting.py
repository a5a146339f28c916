"""Contracts: issuing one, from an award (its lines and prices carried over) or directly with lines; an amendment is a
new contract that references the signed one it amends.

Issuing takes two steps. First the DRAFT contract and its lines are created, in one transaction, once per idempotency
key. Then its PDF is rendered and signed as the buyer, and the transaction that records the document also takes the
contract's `issue` transition and opens the supplier's acknowledgement linked to that document: the contract is ISSUED
if and only if its signed PDF exists. Should signing fail, a DRAFT remains, which suppliers never see and which the
same request retried (same idempotency key) issues.

The supplier's answer, countersigning (SIGNED) or rejecting with a reason (REJECTED), is
`workflows.deadlines.acknowledgements.acknowledge`.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import AcknowledgementKind, ContractStatus, QualificationStatus, TenderStatus
from domain.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from domain.models import Award, BidLine, Contract, ContractLine, DocumentVersion, Organization, Tender
from domain.money import CURRENCIES, DEFAULT_CURRENCY, PRICE_DIGITS, QUANTITY_DIGITS, round_amount
from workflows import transitions as tt
from workflows import visibility
from workflows.audit import record_event
from workflows.deadlines.acknowledgements import open_acknowledgement
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.documents import subjects
from workflows.idempotency import create_once
from workflows.numbering import reserve_numbers
from workflows.staff import require_procurement_staff
from workflows.inputs import (
    AMOUNT_LIMIT, MAX_ITEM_CODE_LENGTH, MAX_ITEM_NAME_LENGTH, MAX_LINES, MAX_TITLE_LENGTH, MAX_UNIT_LENGTH,
    PRICE_LIMIT, QUANTITY_LIMIT, decimal_value, text,
)

OPERATION = "issueContract"
MAX_VALIDITY = timedelta(days=3660)  # ten years
AWARDED_TITLE_SUFFIX = "（中标合同 / awarded contract）"


@dataclass(frozen=True)
class ContractLineInput:
    """A contract line. A quantity of 0 makes it a price agreement (a framework contract), ordered against later."""

    item_code: str
    item_name: str
    quantity: Decimal
    unit_price: Decimal
    unit: str = "PCS"


@dataclass(frozen=True)
class ContractInput:
    """A contract to issue: from an award (`award_id`, or `tender_id` with `supplier_id`), whose lines and prices it
    carries over, or directly (`supplier_id` and `lines`). `amends_id` makes it an amendment of a signed contract."""

    valid_from: date
    valid_to: date
    title: str = ""  # empty: the tender's title, for a contract from an award
    supplier_id: uuid.UUID | None = None
    award_id: uuid.UUID | None = None
    tender_id: uuid.UUID | None = None
    amends_id: uuid.UUID | None = None
    currency: str | None = None  # None: the tender's, the amended contract's, or CNY
    lines: tuple[ContractLineInput, ...] = ()


@dataclass(frozen=True)
class _Terms:
    """What the contract will say, every input checked."""

    title: str
    supplier: Organization
    tender: Tender | None
    amends: Contract | None
    currency: str
    lines: tuple[ContractLineInput, ...]


def buyer_today(now: datetime) -> date:
    """The buyer's calendar day at `now`: validity periods are dates in the buyer's time zone."""
    return now.astimezone(BUYER_TIME_ZONE).date()


def require_issuing_staff(actor: Actor) -> None:
    """Contracts are issued by those who run purchasing (the CONTRACT table's `issue` roles)."""
    require_procurement_staff(actor, "issue a contract")


def checked_lines(lines: tuple[ContractLineInput, ...]) -> tuple[ContractLineInput, ...]:
    """Contract lines normalised: 1 to MAX_LINES, each item once, quantities >= 0, prices >= 0, amounts that fit."""
    if not lines:
        raise ValidationFailed("a contract needs at least one line", field="lines", code="NO_LINES")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"a contract has at most {MAX_LINES} lines", field="lines")
    seen: set[str] = set()
    checked = []
    total = Decimal(0)
    for i, line in enumerate(lines):
        code = text(line.item_code, f"lines[{i}].itemCode", MAX_ITEM_CODE_LENGTH, required=True)
        if code in seen:
            # Orders look prices up by item: one price per item and contract.
            raise ValidationFailed(f"item {code} is on the contract twice", field=f"lines[{i}].itemCode",
                                   code="DUPLICATE_ITEM")
        seen.add(code)
        quantity = decimal_value(line.quantity, f"lines[{i}].quantity", places=QUANTITY_DIGITS["decimal_places"],
                                 limit=QUANTITY_LIMIT, positive=False)
        price = decimal_value(line.unit_price, f"lines[{i}].unitPrice", places=PRICE_DIGITS["decimal_places"],
                              limit=PRICE_LIMIT, positive=False)
        total += round_amount(quantity * price)
        if total >= AMOUNT_LIMIT:
            raise ValidationFailed("the contract's total is too large", field=f"lines[{i}].quantity", code="TOO_LARGE")
        checked.append(ContractLineInput(
            item_code=code, item_name=text(line.item_name, f"lines[{i}].itemName", MAX_ITEM_NAME_LENGTH, required=True),
            quantity=quantity, unit_price=price,
            unit=text(line.unit, f"lines[{i}].unit", MAX_UNIT_LENGTH, required=True),
        ))
    return tuple(checked)


def _checked_period(data: ContractInput, today: date) -> None:
    if data.valid_from > data.valid_to:
        raise ValidationFailed("the validity period ends before it starts", field="validTo", code="INVALID_PERIOD")
    if data.valid_to < today:
        raise ValidationFailed("the validity period has already ended", field="validTo", code="INVALID_PERIOD")
    if data.valid_to - data.valid_from > MAX_VALIDITY:
        raise ValidationFailed("a contract is valid for at most ten years", field="validTo", code="INVALID_PERIOD")


async def _award_source(actor: Actor, data: ContractInput) -> tuple[Tender, uuid.UUID, tuple[ContractLineInput, ...]]:
    """The tender, supplier and lines of the award the contract is made from."""
    if data.award_id is not None and data.tender_id is not None:
        raise ValidationFailed("give awardId or tenderId, not both", field="tenderId")
    if data.lines:
        raise ValidationFailed("a contract from an award takes its lines from the award: send no lines", field="lines")
    if data.award_id is not None:
        award = await visibility.get_visible(visibility.awards(actor), data.award_id)
        if award is None:
            raise NotFound("no such award", field="awardId")
        if data.supplier_id is not None and data.supplier_id != award.supplier_id:
            raise ValidationFailed("the award is to another supplier", field="supplierId", code="SUPPLIER_MISMATCH")
        tender_id, supplier_id, field = award.tender_id, award.supplier_id, "awardId"
    else:
        if data.supplier_id is None:
            raise ValidationFailed("name the awarded supplier of the tender", field="supplierId")
        tender_id, supplier_id, field = data.tender_id, data.supplier_id, "tenderId"
    tender = await visibility.get_visible(visibility.tenders(actor), tender_id)
    if tender is None:
        raise NotFound("no such tender", field=field)
    if tender.status != TenderStatus.AWARDED:
        raise IllegalTransition(f"tender {tender.number} is not awarded", field=field, code="NOT_AWARDED")
    awards = await Award.filter(tender_id=tender.id, supplier_id=supplier_id).prefetch_related("tender_line")
    if not awards:
        raise ValidationFailed(f"tender {tender.number} awarded nothing to this supplier", field="supplierId",
                               code="NOT_AWARDED")
    return tender, supplier_id, await _awarded_lines(tender, awards)


async def _awarded_lines(tender: Tender, awards: list[Award]) -> tuple[ContractLineInput, ...]:
    """One contract line per awarded tender line, at the awarded price; a whole-tender award carries every line of
    the winning bid."""
    rows: list[tuple[int, ContractLineInput]] = []
    for award in awards:
        if award.tender_line is not None:
            line = award.tender_line
            rows.append((line.line_no, ContractLineInput(line.item_code, line.item_name, award.quantity,
                                                         award.unit_price, line.unit)))
            continue
        for bid_line in await BidLine.filter(bid_id=award.bid_id).prefetch_related("tender_line"):
            line = bid_line.tender_line
            rows.append((line.line_no, ContractLineInput(line.item_code, line.item_name, line.quantity,
                                                         bid_line.unit_price, line.unit)))
    rows.sort(key=lambda row: row[0])
    if not rows:
        raise ValidationFailed(f"tender {tender.number}'s award has no lines", field="tenderId", code="NOT_AWARDED")
    return tuple(line for _, line in rows)


async def _terms(actor: Actor, data: ContractInput, today: date) -> _Terms:
    _checked_period(data, today)
    tender: Tender | None = None
    if data.award_id is not None or data.tender_id is not None:
        tender, supplier_id, lines = await _award_source(actor, data)
    else:
        if data.supplier_id is None:
            raise ValidationFailed("name the supplier, or the award the contract is made from", field="supplierId")
        supplier_id, lines = data.supplier_id, data.lines
    supplier = await visibility.get_visible(visibility.suppliers(actor), supplier_id)
    if supplier is None:
        raise NotFound("no such supplier", field="supplierId")
    if supplier.qualification_status != QualificationStatus.QUALIFIED:
        status = str(supplier.qualification_status or "unknown").lower()
        raise IllegalTransition(f"supplier {supplier.code} is {status}: contracts go to qualified suppliers only",
                                field="supplierId", code="SUPPLIER_NOT_QUALIFIED")
    amends = None
    if data.amends_id is not None:
        amends = await visibility.get_visible(visibility.contracts(actor), data.amends_id)
        if amends is None:
            raise NotFound("no such contract to amend", field="amendsId")
        if amends.supplier_id != supplier.id:
            raise ValidationFailed(f"contract {amends.number} is with another supplier", field="amendsId",
                                   code="SUPPLIER_MISMATCH")
        if amends.status != ContractStatus.SIGNED:
            raise IllegalTransition(f"contract {amends.number} is {amends.status.lower()}: only a signed contract can "
                                    "be amended", field="amendsId", code="CONTRACT_NOT_SIGNED")
    currency = data.currency or (tender.currency if tender else amends.currency if amends else DEFAULT_CURRENCY)
    if currency not in CURRENCIES:
        raise ValidationFailed(f"the currency is one of {', '.join(sorted(CURRENCIES))}", field="currency")
    for source, what in ((tender, "tender"), (amends, "amended contract")):
        if source is not None and source.currency != currency:
            raise ValidationFailed(f"the {what} is in {source.currency}", field="currency", code="CURRENCY_MISMATCH")
    title = text(data.title, "title", MAX_TITLE_LENGTH, required=tender is None)
    if not title:
        title = (tender.title[:MAX_TITLE_LENGTH - len(AWARDED_TITLE_SUFFIX)] + AWARDED_TITLE_SUFFIX)
    return _Terms(title, supplier, tender, amends, currency, checked_lines(lines))


async def _refuse_second_contract(connection: BaseDBAsyncClient, terms: _Terms, field: str) -> None:
    """An award is contracted once (amendments aside). The tender row is locked first, so that two concurrent
    requests for the same award are serialised and the second one sees the first one's contract."""
    if terms.tender is None or terms.amends is not None:
        return
    await Tender.filter(id=terms.tender.id).using_db(connection).select_for_update().first()
    earlier = await Contract.filter(
        tender_id=terms.tender.id, supplier_id=terms.supplier.id, amends_id=None,
        status__in=[ContractStatus.DRAFT, ContractStatus.ISSUED, ContractStatus.SIGNED],
    ).using_db(connection).first()
    if earlier is not None:
        raise Conflict(f"tender {terms.tender.number}'s award to {terms.supplier.code} already has contract "
                       f"{earlier.number} ({earlier.status.lower()})", field=field, code="ALREADY_CONTRACTED")


async def issue_contract(actor: Actor, data: ContractInput, *, clock: Clock, documents,  # noqa: ANN001
                         idempotency_key: str | None = None) -> Contract:
    """Create the contract and issue it to its supplier: ISSUED, with its buyer-signed PDF and an acknowledgement
    (due by the CONTRACT policy) linked to that PDF. `documents` is the DocumentService.

    Refused (nothing created) for a role other than procurement or admin, an award, tender or supplier the actor
    cannot see, an unqualified supplier, an award already contracted, an amendment of a contract that is not signed
    or is another supplier's, a validity period ending before it starts, or bad lines. A retried request with the
    same idempotency key returns the contract the first one created, finishing its issue if the first one failed to
    sign."""
    require_issuing_staff(actor)
    now = clock.now()

    async def create(connection: BaseDBAsyncClient) -> Contract:
        # Checked here, not before: a retried request returns the first one's contract without being checked again
        # (the award it was made from is contracted by now).
        terms = await _terms(actor, data, buyer_today(now))
        await _refuse_second_contract(connection, terms, "awardId" if data.award_id else "tenderId")
        [number] = await reserve_numbers(connection, "contract", now.astimezone(BUYER_TIME_ZONE).year)
        rows = [(n, line, round_amount(line.quantity * line.unit_price)) for n, line in enumerate(terms.lines, 1)]
        contract = await Contract.create(
            number=number, title=terms.title, supplier_id=terms.supplier.id, currency=terms.currency,
            total_amount=sum((amount for _, _, amount in rows), Decimal(0)), valid_from=data.valid_from,
            valid_to=data.valid_to, tender_id=terms.tender.id if terms.tender else None,
            amends_id=terms.amends.id if terms.amends else None, owner_id=actor.user_id, created_at=now,
            using_db=connection)
        await ContractLine.bulk_create([
            ContractLine(contract=contract, line_no=n, item_code=line.item_code, item_name=line.item_name,
                         quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=amount)
            for n, line, amount in rows
        ], using_db=connection)
        await record_event(connection, at=now, actor=actor, action="contract.create", subject_type="Contract",
                           subject_id=contract.id, supplier_id=contract.supplier_id,
                           data={"number": number, "tender": terms.tender.number if terms.tender else None,
                                 "amends": terms.amends.number if terms.amends else None,
                                 "total": str(contract.total_amount), "currency": contract.currency})
        return contract

    async def load(contract_id: uuid.UUID) -> Contract:
        return await Contract.get(id=contract_id)

    contract, _ = await create_once(actor, OPERATION, idempotency_key, asdict(data), create, load)
    if contract.status == ContractStatus.DRAFT:
        await _issue(contract, actor, clock, documents)
    return contract


async def _issue(contract: Contract, actor: Actor, clock: Clock, documents) -> None:  # noqa: ANN001
    """DRAFT -> ISSUED in the transaction that records the signed PDF, with the acknowledgement linked to it."""
    now = clock.now()

    async def within(connection: BaseDBAsyncClient, version: DocumentVersion) -> None:
        await tt.apply(connection, tt.CONTRACT, contract, "issue", actor=actor, at=now,
                       data={"number": contract.number, "document": str(version.document_id)})
        await open_acknowledgement(connection, kind=AcknowledgementKind.CONTRACT, subject=contract,
                                   number=contract.number, supplier_id=contract.supplier_id,
                                   owner_id=contract.owner_id, sent_at=now, document_id=version.document_id)

    contract.issued_at = now  # the PDF shows the contract as it will be once issued
    subject, context = await subjects.contract_document(contract, documents.letterhead)
    await documents.issue(subject, context, actor=actor, within=within)


async def visible_contract(actor: Actor, contract_id: uuid.UUID | None, field: str = "id") -> Contract:
    """The contract `contract_id` if the actor may see it; NotFound otherwise (missing and forbidden look alike)."""
    contract = await visibility.get_visible(visibility.contracts(actor), contract_id)
    if contract is None:
        raise NotFound("no such contract", field=field)
    return contract
