"""Purchase orders: issuing one (against a signed contract, whose prices it must match unless overridden with a reason,
or standalone), the supplier's proposed changes and the buyer's answer to them, and cancelling.

An order is ISSUED from its creation (the model's default status: it has no draft). Issuing renders and signs its PDF
first, then records the order, its lines, the PDF and the supplier's acknowledgement linked to it in one transaction
(once per idempotency key): a failed signing leaves no order behind, so the request can simply be sent again. The
supplier confirms (countersigning) or rejects through `workflows.deadlines.acknowledgements.acknowledge`, or proposes
changes per line here. While a change is proposed it is the buyer's turn: the acknowledgement stays open but nobody
chases the supplier. Accepting the change re-issues the PDF on the new terms (a new buyer-signed version) in the
transaction that applies them and answers the acknowledgement; rejecting it restores the original terms, which the
supplier answers again by a new deadline. Goods are received in `workflows.receiving`, which closes a fully received
order.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import (
    OPEN_ACKNOWLEDGEMENT_STATUSES, AcknowledgementKind, ContractStatus, DocumentKind, QualificationStatus,
)
from domain.errors import Conflict, DomainError, IllegalTransition, NotFound, ValidationFailed
from domain.models import (
    Acknowledgement, Contract, ContractLine, Document, DocumentVersion, GoodsReceipt, Organization, PurchaseOrder,
    PurchaseOrderLine,
)
from domain.money import CURRENCIES, DEFAULT_CURRENCY, PRICE_DIGITS, QUANTITY_DIGITS, round_amount
from workflows import transitions as tt
from workflows import visibility
from workflows.audit import record_event
from workflows.contracting import buyer_today, visible_contract
from workflows.deadlines.acknowledgements import close_acknowledgements, open_acknowledgement
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.documents import subjects
from workflows.idempotency import remember, replayed
from workflows.inputs import (
    AMOUNT_LIMIT, MAX_ITEM_CODE_LENGTH, MAX_ITEM_NAME_LENGTH, MAX_LINES, MAX_UNIT_LENGTH, PRICE_LIMIT,
    QUANTITY_LIMIT, decimal_value, text,
)
from workflows.numbering import reserve_numbers
from workflows.staff import require_procurement_staff

OPERATION = "issuePurchaseOrder"
MAX_REASON_LENGTH = 500  # PurchaseOrder.price_override_reason and cancel_reason
MAX_NOTE_LENGTH = 500  # PurchaseOrderLine.change_note
MAX_PLANT_LENGTH = 64
MAX_ADDRESS_LENGTH = 300
MAX_TOLERANCE_PERCENT = Decimal(100)
MAX_DELIVERY_AHEAD = timedelta(days=3 * 366)


@dataclass(frozen=True)
class OrderLineInput:
    """An order line. Against a contract, the item must be on it; an omitted price, name or unit is the contract's."""

    item_code: str
    quantity: Decimal
    delivery_date: date
    unit_price: Decimal | None = None
    item_name: str = ""
    unit: str = ""


@dataclass(frozen=True)
class OrderInput:
    """An order to issue: against `contract_id` (its supplier's), or standalone to `supplier_id`."""

    lines: tuple[OrderLineInput, ...]
    supplier_id: uuid.UUID | None = None
    contract_id: uuid.UUID | None = None
    currency: str | None = None  # None: the contract's, or CNY
    plant: str = ""
    delivery_address: str = ""
    price_override_reason: str = ""  # allows prices that differ from the contract's
    receipt_tolerance_percent: Decimal | None = None  # None: the model's default (5 %)


@dataclass(frozen=True)
class LineChangeInput:
    """The supplier's proposal for one order line: another quantity, another delivery date, or both."""

    line_id: uuid.UUID
    quantity: Decimal | None = None
    delivery_date: date | None = None
    note: str = ""


@dataclass(frozen=True)
class _OrderLine:
    item_code: str
    item_name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    delivery_date: date


@dataclass(frozen=True)
class _Order:
    """What the order will say, every input checked."""

    supplier: Organization
    contract: Contract | None
    currency: str
    lines: tuple[_OrderLine, ...]
    plant: str
    delivery_address: str
    price_override_reason: str
    receipt_tolerance_percent: Decimal | None


async def visible_order(actor: Actor, order_id: uuid.UUID | None, field: str = "id") -> PurchaseOrder:
    """The order `order_id` if the actor may see it; NotFound otherwise (missing and forbidden look alike)."""
    order = await visibility.get_visible(visibility.purchase_orders(actor), order_id)
    if order is None:
        raise NotFound("no such purchase order", field=field)
    return order


def _delivery_date(value: date, field: str, today: date) -> date:
    if value < today:
        raise ValidationFailed("the delivery date has passed", field=field, code="DELIVERY_DATE_PASSED")
    if value > today + MAX_DELIVERY_AHEAD:
        raise ValidationFailed("the delivery date is at most three years ahead", field=field)
    return value


def _quantity(value: Decimal, field: str) -> Decimal:
    return decimal_value(value, field, places=QUANTITY_DIGITS["decimal_places"], limit=QUANTITY_LIMIT, positive=True)


async def _usable_contract(actor: Actor, data: OrderInput, today: date) -> Contract:
    contract = await visible_contract(actor, data.contract_id, field="contractId")
    if data.supplier_id is not None and data.supplier_id != contract.supplier_id:
        raise ValidationFailed(f"contract {contract.number} is with another supplier", field="supplierId",
                               code="SUPPLIER_MISMATCH")
    if contract.status != ContractStatus.SIGNED:
        raise IllegalTransition(f"contract {contract.number} is {contract.status.lower()}: orders are placed under "
                                "signed contracts only", field="contractId", code="CONTRACT_NOT_SIGNED")
    if not contract.valid_from <= today <= contract.valid_to:
        raise IllegalTransition(f"contract {contract.number} is valid from {contract.valid_from} to "
                                f"{contract.valid_to}, not today", field="contractId", code="OUTSIDE_VALIDITY")
    return contract


def _checked_lines(data: OrderInput, contract_lines: dict[str, ContractLine] | None, today: date,
                   override: bool) -> tuple[_OrderLine, ...]:
    if not data.lines:
        raise ValidationFailed("an order needs at least one line", field="lines", code="NO_LINES")
    if len(data.lines) > MAX_LINES:
        raise ValidationFailed(f"an order has at most {MAX_LINES} lines", field="lines")
    checked = []
    total = Decimal(0)
    for i, line in enumerate(data.lines):
        field = f"lines[{i}]"
        code = text(line.item_code, f"{field}.itemCode", MAX_ITEM_CODE_LENGTH, required=True)
        quantity = _quantity(line.quantity, f"{field}.quantity")
        price = None if line.unit_price is None else decimal_value(
            line.unit_price, f"{field}.unitPrice", places=PRICE_DIGITS["decimal_places"], limit=PRICE_LIMIT,
            positive=False)
        agreed = None
        if contract_lines is not None:
            agreed = contract_lines.get(code)
            if agreed is None:
                raise ValidationFailed(f"line {i + 1}: item {code} is not on the contract", field=f"{field}.itemCode",
                                       code="ITEM_NOT_ON_CONTRACT")
            if price is None:
                price = agreed.unit_price
            elif price != agreed.unit_price and not override:
                raise ValidationFailed(
                    f"line {i + 1} (item {code}): the unit price {price} differs from the contract's "
                    f"{agreed.unit_price}; give priceOverrideReason to order at another price",
                    field=f"{field}.unitPrice", code="PRICE_MISMATCH")
        elif price is None:
            raise ValidationFailed(f"line {i + 1}: an order without a contract needs a unit price",
                                   field=f"{field}.unitPrice")
        name = text(line.item_name, f"{field}.itemName", MAX_ITEM_NAME_LENGTH, required=agreed is None)
        unit = text(line.unit, f"{field}.unit", MAX_UNIT_LENGTH)
        total += round_amount(quantity * price)
        if total >= AMOUNT_LIMIT:
            raise ValidationFailed("the order's total is too large", field=f"{field}.quantity", code="TOO_LARGE")
        checked.append(_OrderLine(
            item_code=code, item_name=name or agreed.item_name, unit=unit or (agreed.unit if agreed else "PCS"),
            quantity=quantity, unit_price=price,
            delivery_date=_delivery_date(line.delivery_date, f"{field}.deliveryDate", today),
        ))
    return tuple(checked)


async def _order_terms(actor: Actor, data: OrderInput, today: date) -> _Order:
    contract = await _usable_contract(actor, data, today) if data.contract_id is not None else None
    supplier_id = contract.supplier_id if contract else data.supplier_id
    if supplier_id is None:
        raise ValidationFailed("name the supplier, or the contract the order is placed under", field="supplierId")
    supplier = await visibility.get_visible(visibility.suppliers(actor), supplier_id)
    if supplier is None:
        raise NotFound("no such supplier", field="supplierId")
    if supplier.qualification_status != QualificationStatus.QUALIFIED:
        status = str(supplier.qualification_status or "unknown").lower()
        raise IllegalTransition(f"supplier {supplier.code} is {status}: orders go to qualified suppliers only",
                                field="supplierId", code="SUPPLIER_NOT_QUALIFIED")
    currency = data.currency or (contract.currency if contract else DEFAULT_CURRENCY)
    if currency not in CURRENCIES:
        raise ValidationFailed(f"the currency is one of {', '.join(sorted(CURRENCIES))}", field="currency")
    if contract is not None and currency != contract.currency:
        raise ValidationFailed(f"contract {contract.number} is in {contract.currency}", field="currency",
                               code="CURRENCY_MISMATCH")
    override = text(data.price_override_reason, "priceOverrideReason", MAX_REASON_LENGTH)
    tolerance = data.receipt_tolerance_percent
    if tolerance is not None:
        if tolerance.is_finite() and tolerance > MAX_TOLERANCE_PERCENT:
            raise ValidationFailed("the receipt tolerance is at most 100 %", field="receiptTolerancePercent",
                                   code="TOO_LARGE")
        tolerance = decimal_value(tolerance, "receiptTolerancePercent", places=2, limit=MAX_TOLERANCE_PERCENT + 1,
                                  positive=False)
    contract_lines = None
    if contract is not None:
        contract_lines = {line.item_code: line for line in await ContractLine.filter(contract_id=contract.id)}
    return _Order(
        supplier=supplier, contract=contract, currency=currency,
        lines=_checked_lines(data, contract_lines, today, bool(override)),
        plant=text(data.plant, "plant", MAX_PLANT_LENGTH),
        delivery_address=text(data.delivery_address, "deliveryAddress", MAX_ADDRESS_LENGTH),
        price_override_reason=override, receipt_tolerance_percent=tolerance,
    )


async def issue_purchase_order(actor: Actor, data: OrderInput, *, clock: Clock, documents,  # noqa: ANN001
                               idempotency_key: str | None = None) -> PurchaseOrder:
    """Create the order (ISSUED), with its number, its buyer-signed PDF and the supplier's acknowledgement (due by the
    PURCHASE_ORDER policy) linked to that PDF, all in one transaction: if rendering or signing fails, nothing is
    recorded (but the number taken for it, which stays unused) and the same request can be sent again.
    `documents` is the DocumentService.

    Refused (nothing created) for a role other than procurement or admin, a contract or supplier the actor cannot
    see, a contract that is not signed, not the supplier's or not valid today, an item not on the contract, a price
    that differs from the contract's without `price_override_reason` (PRICE_MISMATCH, naming the line), or bad
    lines. A retried request with the same idempotency key returns the first one's order."""
    require_procurement_staff(actor, "issue a purchase order")
    request = asdict(data)
    if (earlier := await replayed(actor, OPERATION, idempotency_key, request, _load_order)) is not None:
        return earlier
    now = clock.now()
    terms = await _order_terms(actor, data, buyer_today(now))
    # The number is printed on the PDF, so it is taken before rendering, in a short transaction of its own.
    async with in_transaction() as connection:
        [number] = await reserve_numbers(connection, "order", now.astimezone(BUYER_TIME_ZONE).year)
    extra = {} if terms.receipt_tolerance_percent is None else {
        "receipt_tolerance_percent": terms.receipt_tolerance_percent}
    lines = [(n, line, round_amount(line.quantity * line.unit_price)) for n, line in enumerate(terms.lines, 1)]
    order = PurchaseOrder(
        number=number, supplier_id=terms.supplier.id, contract_id=terms.contract.id if terms.contract else None,
        currency=terms.currency, total_amount=sum((amount for _, _, amount in lines), Decimal(0)), plant=terms.plant,
        delivery_address=terms.delivery_address, price_override_reason=terms.price_override_reason,
        owner_id=actor.user_id, issued_at=now, created_at=now, **extra)
    rows = [PurchaseOrderLine(order_id=order.id, line_no=n, item_code=line.item_code, item_name=line.item_name,
                              quantity=line.quantity, unit=line.unit, unit_price=line.unit_price, amount=amount,
                              delivery_date=line.delivery_date, created_at=now)
            for n, line, amount in lines]

    async def record(connection: BaseDBAsyncClient, version: DocumentVersion) -> None:
        await order.save(using_db=connection, force_create=True)
        await PurchaseOrderLine.bulk_create(rows, using_db=connection)
        await record_event(connection, at=now, actor=actor, action="purchaseOrder.issue",
                           subject_type="PurchaseOrder", subject_id=order.id, supplier_id=order.supplier_id,
                           data={"number": number, "contract": terms.contract.number if terms.contract else None,
                                 "total": str(order.total_amount), "currency": order.currency,
                                 "price_override_reason": terms.price_override_reason or None})
        await remember(connection, actor, OPERATION, idempotency_key, request, order.id)
        await open_acknowledgement(connection, kind=AcknowledgementKind.PURCHASE_ORDER, subject=order,
                                   number=order.number, supplier_id=order.supplier_id, owner_id=order.owner_id,
                                   sent_at=now, document_id=version.document_id)

    subject, context = subjects.purchase_order_terms_document(
        order, terms.supplier, terms.contract, rows, await subjects.buyer_organization(), documents.letterhead)
    try:
        await documents.issue(subject, context, actor=actor, within=record)
    except (IntegrityError, DomainError):
        # A concurrent request with the same idempotency key committed first: its order is the answer.
        if (earlier := await replayed(actor, OPERATION, idempotency_key, request, _load_order)) is None:
            raise
        return earlier
    return order


async def _load_order(order_id: uuid.UUID) -> PurchaseOrder:
    return await PurchaseOrder.get(id=order_id)


async def _document_service(documents: Any) -> Any:  # noqa: ANN401 - the DocumentService or a function giving it
    if documents is None:
        raise DomainError("this server cannot sign documents", code="SIGNING_UNAVAILABLE")
    return documents if hasattr(documents, "issue") else await documents()


# -- the supplier's proposed changes and the buyer's answer ------------------------------------------------------------

def _checked_changes(changes: Sequence[LineChangeInput], lines: dict[uuid.UUID, PurchaseOrderLine],
                     today: date) -> list[tuple[PurchaseOrderLine, Decimal | None, date | None, str]]:
    if not changes:
        raise ValidationFailed("propose a change to at least one line", field="lines", code="NO_LINES")
    if len(changes) > MAX_LINES:
        raise ValidationFailed(f"propose changes to at most {MAX_LINES} lines", field="lines")
    checked = []
    seen: set[uuid.UUID] = set()
    for i, change in enumerate(changes):
        field = f"lines[{i}]"
        line = lines.get(change.line_id)
        if line is None:
            raise NotFound("the order has no such line", field=f"{field}.lineId")
        if line.id in seen:
            raise ValidationFailed(f"line {line.line_no} is changed twice", field=f"{field}.lineId",
                                   code="DUPLICATE_LINE")
        seen.add(line.id)
        if change.quantity is None and change.delivery_date is None:
            raise ValidationFailed(f"line {line.line_no}: propose a quantity, a delivery date or both", field=field)
        quantity = None if change.quantity is None else _quantity(change.quantity, f"{field}.quantity")
        delivery = None if change.delivery_date is None else _delivery_date(
            change.delivery_date, f"{field}.deliveryDate", today)
        if (quantity is None or quantity == line.quantity) and (delivery is None or delivery == line.delivery_date):
            raise ValidationFailed(f"line {line.line_no}: the proposal changes nothing", field=field,
                                   code="NO_CHANGE")
        checked.append((line, quantity, delivery, text(change.note, f"{field}.note", MAX_NOTE_LENGTH)))
    return checked


def _open_acknowledgements(order: PurchaseOrder, connection: BaseDBAsyncClient):  # noqa: ANN202
    return Acknowledgement.filter(subject_type="PurchaseOrder", subject_id=order.id,
                                  status__in=sorted(OPEN_ACKNOWLEDGEMENT_STATUSES)).using_db(connection)


async def propose_order_change(actor: Actor, order_id: uuid.UUID | None, changes: Sequence[LineChangeInput], *,
                               clock: Clock) -> PurchaseOrder:
    """The supplier's answer to an issued order: other quantities and/or delivery dates for some lines, each with a
    note. The order is CHANGE_PROPOSED until staff accept or reject the change; meanwhile its acknowledgement stays
    open, but the supplier is no longer chased (it has answered)."""
    order = await visible_order(actor, order_id)
    tt.check(tt.ORDER, order, "propose_change", actor)
    now = clock.now()
    lines = {line.id: line for line in await PurchaseOrderLine.filter(order_id=order.id)}
    checked = _checked_changes(changes, lines, buyer_today(now))
    async with in_transaction() as connection:
        await tt.apply(connection, tt.ORDER, order, "propose_change", actor=actor, at=now, data={"lines": [
            {"line_no": line.line_no, "quantity": str(quantity) if quantity is not None else None,
             "delivery_date": str(delivery) if delivery else None, "note": note}
            for line, quantity, delivery, note in checked]})
        for line, quantity, delivery, note in checked:
            await PurchaseOrderLine.filter(id=line.id).using_db(connection).update(
                proposed_quantity=quantity, proposed_delivery_date=delivery, change_note=note)
        # The buyer's turn: the scheduler stops reminding the supplier; the proposal is its answer.
        await _open_acknowledgements(order, connection).update(next_action_at=None, answered_by_id=actor.user_id)
    return order


def _accepted_lines(lines: Sequence[PurchaseOrderLine]) -> tuple[list[PurchaseOrderLine], list[dict[str, Any]]]:
    """The order's lines with the proposal applied (copies, amounts recomputed), and what changed, for the audit."""
    accepted, applied = [], []
    for line in lines:
        quantity = line.proposed_quantity if line.proposed_quantity is not None else line.quantity
        delivery = line.proposed_delivery_date or line.delivery_date
        accepted.append(PurchaseOrderLine(
            id=line.id, order_id=line.order_id, line_no=line.line_no, item_code=line.item_code,
            item_name=line.item_name, unit=line.unit, unit_price=line.unit_price, quantity=quantity,
            delivery_date=delivery, amount=round_amount(quantity * line.unit_price)))
        if line.proposed_quantity is not None or line.proposed_delivery_date is not None:
            applied.append({"line_no": line.line_no, "quantity": [str(line.quantity), str(quantity)],
                            "delivery_date": [str(line.delivery_date), str(delivery)]})
    return accepted, applied


def _change_note(applied: list[dict[str, Any]], on: date) -> str:
    """What the re-issued PDF says about the change it carries (quantities as the order lines print them)."""
    def plain(quantity: str) -> str:
        return format(Decimal(quantity).normalize(), "f")

    changes = "; ".join(
        f"第 {change['line_no']} 行 line {change['line_no']}: 数量 quantity {plain(change['quantity'][0])} → "
        f"{plain(change['quantity'][1])}, 交期 delivery {change['delivery_date'][0]} → {change['delivery_date'][1]}"
        for change in applied)
    return f"{on.isoformat()} 按供应商提议变更 / Changed as proposed by the supplier: {changes}"


def _terms(line: PurchaseOrderLine) -> tuple:
    return (line.id, line.quantity, line.delivery_date, line.proposed_quantity, line.proposed_delivery_date)


async def accept_order_change(actor: Actor, order_id: uuid.UUID | None, *, clock: Clock,
                              documents: Any = None) -> PurchaseOrder:  # noqa: ANN401
    """Staff accept the supplier's proposal: the proposed quantities and dates replace the order's, the amounts and
    total are recomputed, the order's PDF is re-issued on the new terms (a new buyer-signed version of the same
    document), the order is CONFIRMED and its acknowledgement answered, pointing at that document. The new version is
    recorded in the transaction that applies the change, so the PDF and the order never disagree.

    `documents` is the DocumentService, or an async function giving it (asked for once the checks have passed)."""
    order = await visible_order(actor, order_id)
    tt.check(tt.ORDER, order, "accept_change", actor)
    now = clock.now()
    lines = await PurchaseOrderLine.filter(order_id=order.id).order_by("line_no")
    accepted, applied = _accepted_lines(lines)
    total = sum((line.amount for line in accepted), Decimal(0))
    service = await _document_service(documents)
    await order.fetch_related("supplier", "contract")
    subject, context = subjects.purchase_order_terms_document(
        order, order.supplier, order.contract, accepted, await subjects.buyer_organization(), service.letterhead,
        notes=_change_note(applied, buyer_today(now)))

    async def apply(connection: BaseDBAsyncClient, version: DocumentVersion) -> None:
        # The terms signed must be the terms applied: refused if the lines changed since they were rendered.
        current = await PurchaseOrderLine.filter(order_id=order.id).using_db(connection).select_for_update(
        ).order_by("line_no")
        if [_terms(line) for line in current] != [_terms(line) for line in lines]:
            raise Conflict(f"order {order.number} changed while its new terms were being signed; reload it and try "
                           "again", field="id")
        for line in accepted:
            await PurchaseOrderLine.filter(id=line.id).using_db(connection).update(
                quantity=line.quantity, delivery_date=line.delivery_date, amount=line.amount, proposed_quantity=None,
                proposed_delivery_date=None, change_note="")
        await tt.apply(connection, tt.ORDER, order, "accept_change", actor=actor, at=now,
                       changes={"total_amount": total},
                       data={"lines": applied, "total": [str(order.total_amount), str(total)],
                             "document_version": version.version})
        for ack in await _open_acknowledgements(order, connection).select_for_update():
            await tt.apply(connection, tt.ACKNOWLEDGEMENT, ack, "accept_change", actor=actor, at=now,
                           changes={"next_action_at": None, "document_id": version.document_id},
                           data={"number": order.number})

    await service.issue(subject, context, actor=actor, within=apply)
    return order


async def reject_order_change(actor: Actor, order_id: uuid.UUID | None, reason: str = "", *,
                              clock: Clock) -> PurchaseOrder:
    """Staff reject the supplier's proposal: the original terms stand (the order is ISSUED again, the proposals
    cleared) and the supplier answers them again, by a new deadline: the acknowledgement paused by the proposal is
    cancelled and a new one opened, linked to the same PDF."""
    order = await visible_order(actor, order_id)
    tt.check(tt.ORDER, order, "reject_change", actor)
    reason = text(reason, "reason", MAX_REASON_LENGTH)
    now = clock.now()
    async with in_transaction() as connection:
        await tt.apply(connection, tt.ORDER, order, "reject_change", actor=actor, at=now, data={"reason": reason})
        await PurchaseOrderLine.filter(order_id=order.id).using_db(connection).update(
            proposed_quantity=None, proposed_delivery_date=None, change_note="")
        await close_acknowledgements(connection, order, name="cancel", actor=actor, at=now)
        document = await Document.filter(kind=DocumentKind.PURCHASE_ORDER, subject_id=order.id).using_db(
            connection).first()
        document_id = document.id if document else None
        await open_acknowledgement(connection, kind=AcknowledgementKind.PURCHASE_ORDER, subject=order,
                                   number=order.number, supplier_id=order.supplier_id, owner_id=order.owner_id,
                                   sent_at=now, document_id=document_id)
    return order


async def cancel_purchase_order(actor: Actor, order_id: uuid.UUID | None, reason: str, *,
                                clock: Clock) -> PurchaseOrder:
    """Cancel an order nothing has been received against (ALREADY_RECEIVED otherwise), with a reason; its open
    acknowledgement is cancelled with it."""
    order = await visible_order(actor, order_id)
    tt.check(tt.ORDER, order, "cancel", actor)
    reason = text(reason, "reason", MAX_REASON_LENGTH, required=True)
    now = clock.now()
    async with in_transaction() as connection:
        # Receipts lock the order row too: a receipt and a cancellation cannot both pass their checks.
        await PurchaseOrder.filter(id=order.id).using_db(connection).select_for_update().first()
        if await GoodsReceipt.filter(order_id=order.id).using_db(connection).exists():
            raise IllegalTransition(f"order {order.number} has goods received against it: it cannot be cancelled",
                                    field="id", code="ALREADY_RECEIVED")
        await tt.apply(connection, tt.ORDER, order, "cancel", actor=actor, at=now, changes={"cancel_reason": reason},
                       data={"reason": reason})
        await close_acknowledgements(connection, order, name="cancel", actor=actor, at=now)
    return order

