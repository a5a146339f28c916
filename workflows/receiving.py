"""Goods receipts: what arrived against the lines of a confirmed purchase order, and what of it was rejected.

A line's `received_quantity` counts the goods accepted against it (received minus rejected): rejected goods go back
to the supplier, who still owes them, so they neither fill the line nor use up its tolerance. A receipt that would
take a line beyond its quantity plus the order's receipt tolerance is refused (OVER_TOLERANCE). When every line is
fully received, the order CLOSES in the same transaction.

Concurrency: recording locks the order row and its lines (`SELECT … FOR UPDATE` on PostgreSQL; SQLite runs one write
transaction at a time), then reads the quantities received so far. Two receipts of the same order are therefore
checked one after the other, each against what the other recorded; a cancellation takes the same order lock.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from tortoise.backends.base.client import BaseDBAsyncClient

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import OrderStatus, Role
from domain.errors import IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine
from domain.money import QUANTITY_DIGITS
from workflows import transitions as tt
from workflows.audit import record_event
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.idempotency import create_once
from workflows.numbering import reserve_numbers
from workflows.ordering import visible_order
from workflows.inputs import MAX_LINES, QUANTITY_LIMIT, decimal_value, text

OPERATION = "recordGoodsReceipt"
# Who records receipts: the warehouse's paperwork is booked by accounting or procurement (visibility.READ_ROLES
# lets them, and auditors, read receipts; auditors never write).
RECORD_ROLES = frozenset({Role.PROCUREMENT, Role.ACCOUNTING, Role.ADMIN})
MAX_NOTE_LENGTH = 500  # GoodsReceipt.note
CLOCK_SKEW = timedelta(minutes=5)  # a receipt time from a slightly fast clock is not "in the future"


@dataclass(frozen=True)
class ReceiptLineInput:
    """What arrived for one order line; `rejected_quantity` of it failed inspection (0 to `received_quantity`)."""

    order_line_id: uuid.UUID
    received_quantity: Decimal
    rejected_quantity: Decimal = Decimal(0)


@dataclass(frozen=True)
class ReceiptInput:
    order_id: uuid.UUID
    lines: tuple[ReceiptLineInput, ...]
    received_at: datetime | None = None  # None: now
    note: str = ""


def require_receiving_staff(actor: Actor) -> None:
    if not (actor.is_staff and actor.has_any(RECORD_ROLES)):
        roles = ", ".join(sorted(role.value for role in RECORD_ROLES))
        raise PermissionDenied(f"recording a goods receipt takes the role {roles}")


def checked_quantities(line: ReceiptLineInput, field: str) -> ReceiptLineInput:
    """Received > 0 and 0 <= rejected <= received, at most 3 decimals."""
    places = QUANTITY_DIGITS["decimal_places"]
    received = decimal_value(line.received_quantity, f"{field}.receivedQuantity", places=places,
                             limit=QUANTITY_LIMIT, positive=True)
    rejected = decimal_value(line.rejected_quantity, f"{field}.rejectedQuantity", places=places,
                             limit=QUANTITY_LIMIT, positive=False)
    if rejected > received:
        raise ValidationFailed(f"{rejected} rejected out of {received} received", field=f"{field}.rejectedQuantity",
                               code="REJECTED_OVER_RECEIVED")
    return ReceiptLineInput(line.order_line_id, received, rejected)


def checked_received_at(value: datetime | None, now: datetime, field: str = "receivedAt") -> datetime:
    if value is None:
        return now
    if value.tzinfo is None:
        raise ValidationFailed(f"{field} needs a time zone", field=field)
    if value > now + CLOCK_SKEW:
        raise ValidationFailed("goods cannot be received in the future", field=field, code="RECEIVED_IN_FUTURE")
    return value


def tolerance_limit(line: PurchaseOrderLine, order: PurchaseOrder) -> Decimal:
    """The most a line may receive: its quantity plus the order's tolerance."""
    return line.quantity * (1 + order.receipt_tolerance_percent / 100)


@dataclass(frozen=True)
class LabelledLine:
    """A receipt line and the name of the input it came from (`lines[2]`, or a CSV row), for errors."""

    field: str
    line: ReceiptLineInput


async def record_in(connection: BaseDBAsyncClient, actor: Actor, order_id: uuid.UUID, lines: Sequence[LabelledLine],
                    *, received_at: datetime, note: str, now: datetime) -> GoodsReceipt:
    """Record one receipt of checked lines against the order, inside the caller's transaction `connection`: the
    order must be CONFIRMED, each line the order's and within its tolerance; the order closes if fully received."""
    # Lock first, read after: what others received is read only once they have committed (see the module's doc).
    order = await PurchaseOrder.filter(id=order_id).using_db(connection).select_for_update().first()
    if order is None:
        raise NotFound("no such purchase order", field="orderId")
    if order.status != OrderStatus.CONFIRMED:
        raise IllegalTransition(f"order {order.number} is {order.status.lower().replace('_', ' ')}: goods are received "
                                "against a confirmed order only", field="orderId", code="ORDER_NOT_CONFIRMED")
    if order.issued_at is not None and received_at < order.issued_at:
        raise ValidationFailed(f"order {order.number} was issued after that time", field="receivedAt")
    order_lines = {line.id: line for line in await PurchaseOrderLine.filter(order_id=order.id).using_db(
        connection).select_for_update().order_by("line_no")}
    received_now: dict[uuid.UUID, Decimal] = {}
    for labelled in lines:
        line = order_lines.get(labelled.line.order_line_id)
        if line is None:
            raise NotFound(f"order {order.number} has no such line", field=f"{labelled.field}.orderLineId")
        accepted = labelled.line.received_quantity - labelled.line.rejected_quantity
        total = line.received_quantity + received_now.get(line.id, Decimal(0)) + accepted
        limit = tolerance_limit(line, order)
        if total > limit:
            raise ValidationFailed(
                f"line {line.line_no} (item {line.item_code}): {total.normalize():f} accepted in all would exceed "
                f"the {line.quantity.normalize():f} ordered plus {order.receipt_tolerance_percent.normalize():f} % "
                f"tolerance ({limit.normalize():f})",
                field=f"{labelled.field}.receivedQuantity", code="OVER_TOLERANCE")
        received_now[line.id] = received_now.get(line.id, Decimal(0)) + accepted
    [number] = await reserve_numbers(connection, "receipt", now.astimezone(BUYER_TIME_ZONE).year)
    receipt = await GoodsReceipt.create(number=number, order_id=order.id, supplier_id=order.supplier_id,
                                        received_at=received_at, plant=order.plant, recorded_by_id=actor.user_id,
                                        note=note, created_at=now, using_db=connection)
    await GoodsReceiptLine.bulk_create([
        GoodsReceiptLine(receipt=receipt, order_line_id=labelled.line.order_line_id,
                         received_quantity=labelled.line.received_quantity,
                         rejected_quantity=labelled.line.rejected_quantity)
        for labelled in lines
    ], using_db=connection)
    for line_id, accepted in received_now.items():
        line = order_lines[line_id]
        line.received_quantity += accepted
        if accepted:
            await PurchaseOrderLine.filter(id=line_id).using_db(connection).update(
                received_quantity=line.received_quantity)
    await record_event(connection, at=now, actor=actor, action="goodsReceipt.record", subject_type="GoodsReceipt",
                       subject_id=receipt.id, supplier_id=order.supplier_id,
                       data={"number": number, "order": order.number, "lines": [
                           {"line_no": order_lines[labelled.line.order_line_id].line_no,
                            "received": str(labelled.line.received_quantity),
                            "rejected": str(labelled.line.rejected_quantity)} for labelled in lines]})
    if all(line.received_quantity >= line.quantity for line in order_lines.values()):
        await tt.apply(connection, tt.ORDER, order, "close", actor=actor, at=now, data={"receipt": number})
    return receipt


async def record_goods_receipt(actor: Actor, data: ReceiptInput, *, clock: Clock,
                               idempotency_key: str | None = None) -> GoodsReceipt:
    """Record what arrived against lines of a confirmed order (one receipt, one number); the order CLOSES when every
    line is fully received.

    Refused (nothing recorded) for a role other than accounting, procurement or admin, an order the actor cannot see
    or not CONFIRMED, a line not of the order or named twice, received <= 0, rejected > received, a receipt time in
    the future, or a line taken beyond its tolerance (OVER_TOLERANCE, naming the line). A retried request with the
    same idempotency key returns the first one's receipt."""
    require_receiving_staff(actor)
    now = clock.now()
    received_at = checked_received_at(data.received_at, now)
    note = text(data.note, "note", MAX_NOTE_LENGTH)
    if not data.lines:
        raise ValidationFailed("receive at least one line", field="lines", code="NO_LINES")
    if len(data.lines) > MAX_LINES:
        raise ValidationFailed(f"a receipt has at most {MAX_LINES} lines", field="lines")
    lines: list[LabelledLine] = []
    seen: set[uuid.UUID] = set()
    for i, line in enumerate(data.lines):
        if line.order_line_id in seen:
            raise ValidationFailed("this order line is received twice in one receipt",
                                   field=f"lines[{i}].orderLineId", code="DUPLICATE_LINE")
        seen.add(line.order_line_id)
        lines.append(LabelledLine(f"lines[{i}]", checked_quantities(line, f"lines[{i}]")))
    order = await visible_order(actor, data.order_id, field="orderId")

    async def create(connection: BaseDBAsyncClient) -> GoodsReceipt:
        return await record_in(connection, actor, order.id, lines, received_at=received_at, note=note, now=now)

    async def load(receipt_id: uuid.UUID) -> GoodsReceipt:
        return await GoodsReceipt.get(id=receipt_id)

    receipt, _ = await create_once(actor, OPERATION, idempotency_key, asdict(data), create, load)
    return receipt
