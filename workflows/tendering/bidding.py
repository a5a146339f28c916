"""Sealed bids: a supplier submits, revises and withdraws its bid until the tender closes, and not a second after.

At each submission the portal fixes the bid's canonical hash (and, when a time-stamping authority is configured, an
RFC 3161 token over it) and gives the supplier that receipt: after the opening, anyone holding the bid's lines can
recompute the hash and check that the bid opened is the bid submitted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import TenderStatus
from domain.errors import Conflict, IllegalTransition, NotFound, PermissionDenied, ValidationFailed
from domain.models import Bid, BidLine, Organization, Tender, TenderInvitation, TenderLine
from domain.money import PRICE_DIGITS, QUANTITY_DIGITS, round_amount
from workflows import transitions as tt
from workflows import visibility
from workflows.deadlines.acknowledgements import close_acknowledgements
from workflows.idempotency import create_once, replayed
from workflows.suppliers import require_qualified
from workflows.tendering.access import visible_tender
from workflows.tendering.inputs import (
    AMOUNT_LIMIT, MAX_BID_NOTE_LENGTH, BidLineInput, checked_bid_lines, text,
)

logger = logging.getLogger(__name__)

SUBMIT_OPERATION = "submitBid"
QUANTITY_STEP = Decimal(1).scaleb(-QUANTITY_DIGITS["decimal_places"])
PRICE_STEP = Decimal(1).scaleb(-PRICE_DIGITS["decimal_places"])


@dataclass(frozen=True)
class PricedLine:
    """A bid line as sealed: the tender line it prices, the tender's quantity, the price and its amount."""

    tender_line: TenderLine
    unit_price: Decimal
    amount: Decimal
    delivery_days: int
    note: str


@dataclass(frozen=True)
class BidReceipt:
    """What the supplier keeps as proof of what it submitted, and when."""

    bid: Bid
    content_hash: str
    submitted_at: datetime
    revision: int
    timestamp_token: bytes | None

    @property
    def timestamped(self) -> bool:
        return self.timestamp_token is not None

    @classmethod
    def of(cls, bid: Bid) -> BidReceipt:
        """The receipt of the bid's current revision, as stored."""
        return cls(bid=bid, content_hash=bid.content_hash, submitted_at=bid.submitted_at, revision=bid.revision,
                   timestamp_token=bid.timestamp_token)


def canonical_bid(tender_number: str, supplier_code: str, revision: int, currency: str, note: str,
                  lines: Sequence[tuple[int, Decimal, Decimal, int, str]]) -> bytes:
    """The canonical JSON of a bid: keys sorted, no spaces, UTF-8, decimals at their column's precision, lines in
    tender-line order. `lines` are (line number, quantity, unit price, delivery days, note)."""
    document = {
        "tender": tender_number, "supplier": supplier_code, "revision": revision, "currency": currency, "note": note,
        "lines": [
            {"line": line_no, "quantity": str(quantity.quantize(QUANTITY_STEP)),
             "unit_price": str(price.quantize(PRICE_STEP)), "delivery_days": days, "note": line_note}
            for line_no, quantity, price, days, line_note in sorted(lines, key=lambda line: line[0])
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def content_hash_of(canonical: bytes) -> str:
    return hashlib.sha256(canonical).hexdigest()


async def recompute_bid_hash(bid: Bid) -> str:
    """The canonical hash of `bid` as stored now: equal to `bid.content_hash` unless its rows were changed."""
    tender = await Tender.get(id=bid.tender_id)
    supplier = await Organization.get(id=bid.supplier_id)
    rows = await BidLine.filter(bid_id=bid.id).prefetch_related("tender_line")
    return content_hash_of(canonical_bid(
        tender.number, supplier.code, bid.revision, bid.currency, bid.note,
        [(row.tender_line.line_no, row.quantity, row.unit_price, row.delivery_days, row.note) for row in rows]))


def require_open_for_bids(tender: Tender, now: datetime, field: str) -> None:
    """Refuse unless `tender` takes bids at `now`: PUBLISHED, opened, and `now` strictly before `closes_at`."""
    status = TenderStatus(tender.status)
    if status is TenderStatus.CANCELLED:
        raise IllegalTransition(f"tender {tender.number} was cancelled", field=field, code="TENDER_CANCELLED")
    if status in (TenderStatus.CLOSED, TenderStatus.AWARDED) or (
            status is TenderStatus.PUBLISHED and now >= tender.closes_at):
        raise IllegalTransition(f"tender {tender.number} closed at {tender.closes_at.isoformat()}: bids are no "
                                "longer accepted", field=field, code="TENDER_CLOSED")
    if status is not TenderStatus.PUBLISHED:
        raise IllegalTransition(f"tender {tender.number} is not published", field=field)
    if tender.opens_at is not None and now < tender.opens_at:
        raise IllegalTransition(f"tender {tender.number} takes bids from {tender.opens_at.isoformat()}", field=field,
                                code="TENDER_NOT_OPEN")


async def _locked_tender(connection: BaseDBAsyncClient, tender: Tender) -> Tender:
    """The tender row, locked until the end of the transaction: closing (which updates it) waits for a bid being
    written, and a bid being written after the tender was closed sees it closed."""
    locked = await Tender.filter(id=tender.id).using_db(connection).select_for_update().first()
    if locked is None:
        raise NotFound("no such tender", field="tenderId")
    return locked


def _priced(lines: Sequence[BidLineInput], tender_lines: dict[uuid.UUID, TenderLine]) -> list[PricedLine]:
    priced = []
    for i, line in enumerate(lines):
        tender_line = tender_lines.get(line.tender_line_id)
        if tender_line is None:
            raise ValidationFailed("no such line in this tender", field=f"lines[{i}].tenderLineId",
                                   code="UNKNOWN_TENDER_LINE")
        amount = round_amount(tender_line.quantity * line.unit_price)
        if amount >= AMOUNT_LIMIT:
            raise ValidationFailed("the line's amount is too large", field=f"lines[{i}].unitPrice", code="TOO_LARGE")
        priced.append(PricedLine(tender_line, line.unit_price, amount, line.delivery_days, line.note))
    total = sum((line.amount for line in priced), Decimal(0))
    if total >= AMOUNT_LIMIT:
        raise ValidationFailed("the bid's total is too large", field="lines", code="TOO_LARGE")
    return priced


async def _timestamp(timestamper: TimeStamper | None, content_hash: str) -> bytes | None:
    """An RFC 3161 token over the hash, or None without a time-stamping authority. An authority that fails does not
    stop the bid (the deadline would not wait for it): the receipt then says the bid was not timestamped."""
    if timestamper is None:
        return None
    try:
        token = await timestamper.async_timestamp(bytes.fromhex(content_hash), "sha256")
    except TimestampRequestError as error:
        logger.warning("bid %s was not timestamped: %s", content_hash, error)
        return None
    return token.dump()


async def submit_bid(actor: Actor, tender_id: uuid.UUID | None, lines: Sequence[BidLineInput], *, note: str = "",
                     clock: Clock, timestamper: TimeStamper | None = None,
                     idempotency_key: str | None = None) -> BidReceipt:
    """Submit (or revise) the actor's supplier's bid on a tender, and return its receipt.

    Refused unless the supplier was invited and has not declined, is QUALIFIED, and the tender is PUBLISHED and
    `clock.now()` is before `closes_at` (at or after it: TENDER_CLOSED). Each line prices a line of this tender for the
    quantity it asks. A second submission replaces the lines and raises the revision; two at once: one Conflict.
    The supplier's TENDER_BID acknowledgement is closed as accepted.

    A retried request with the same idempotency key revises nothing: it returns the bid the first one submitted (as
    it stands now), even once the tender has closed; the key with other input is IDEMPOTENCY_KEY_REUSED."""
    if not actor.is_supplier:
        raise PermissionDenied("only a supplier submits bids", field="tenderId")
    request = {"tender_id": tender_id, "note": note, "lines": [dataclasses.asdict(line) for line in lines]}
    # Before the deadline checks: a retry whose first attempt was in time is answered, not refused as late.
    if (earlier := await replayed(actor, SUBMIT_OPERATION, idempotency_key, request, _load_bid)) is not None:
        return BidReceipt.of(earlier)
    lines = checked_bid_lines(lines)
    note = text(note, "note", MAX_BID_NOTE_LENGTH)
    received_at = clock.now()
    tender = await visible_tender(actor, tender_id, field="tenderId")
    require_open_for_bids(tender, received_at, "tenderId")
    invitation = await TenderInvitation.get_or_none(tender_id=tender.id, supplier_id=actor.org_id)
    if invitation is None:
        raise NotFound("no such tender", field="tenderId")
    if invitation.declined_at is not None:
        raise IllegalTransition(f"you declined tender {tender.number}", field="tenderId", code="INVITATION_DECLINED")
    supplier = await Organization.get(id=actor.org_id)
    require_qualified(supplier, field="tenderId")
    priced = _priced(lines, {line.id: line for line in await TenderLine.filter(tender_id=tender.id)})

    existing = await Bid.get_or_none(tender_id=tender.id, supplier_id=actor.org_id)
    if existing is not None:
        tt.check(tt.BID, existing, "submit", actor)
    previous = existing.revision if existing is not None else 0
    revision = previous + 1
    content_hash = content_hash_of(canonical_bid(
        tender.number, supplier.code, revision, tender.currency, note,
        [(line.tender_line.line_no, line.tender_line.quantity, line.unit_price, line.delivery_days, line.note)
         for line in priced]))
    # The time-stamping authority is asked before the transaction: the tender row stays locked only briefly.
    token = await _timestamp(timestamper, content_hash)
    total = sum((line.amount for line in priced), Decimal(0))

    async def record(connection: BaseDBAsyncClient) -> Bid:
        require_open_for_bids(await _locked_tender(connection, tender), received_at, "tenderId")
        bid = existing
        if bid is None:
            try:
                bid = await Bid.create(tender_id=tender.id, supplier_id=actor.org_id, currency=tender.currency,
                                       created_at=received_at, using_db=connection)
            except IntegrityError as error:
                raise Conflict("your bid was submitted from elsewhere meanwhile; reload it and try again",
                               field="tenderId") from error
        await tt.apply(connection, tt.BID, bid, "submit", actor=actor, at=received_at, changes={
            "revision": revision, "currency": tender.currency, "total_amount": total, "note": note,
            "content_hash": content_hash, "timestamp_token": token, "withdrawn_at": None,
        }, expect={"revision": previous}, data={
            "tender": tender.number, "revision": revision, "hash": content_hash, "timestamped": token is not None})
        await BidLine.filter(bid_id=bid.id).using_db(connection).delete()
        await BidLine.bulk_create([
            BidLine(bid=bid, tender_line=line.tender_line, unit_price=line.unit_price,
                    quantity=line.tender_line.quantity, amount=line.amount, delivery_days=line.delivery_days,
                    note=line.note, created_at=received_at)
            for line in priced
        ], batch_size=500, using_db=connection)
        await close_acknowledgements(connection, tender, name="accept", actor=actor, at=received_at,
                                     supplier_id=actor.org_id)
        return bid

    bid, created = await create_once(actor, SUBMIT_OPERATION, idempotency_key, request, record, _load_bid)
    if not created:  # a concurrent request with the same key submitted first
        return BidReceipt.of(bid)
    return BidReceipt(bid=bid, content_hash=content_hash, submitted_at=received_at, revision=revision,
                      timestamp_token=token)


async def _load_bid(bid_id: uuid.UUID) -> Bid:
    return await Bid.get(id=bid_id)


async def withdraw_bid(actor: Actor, bid_id: uuid.UUID | None, *, clock: Clock) -> Bid:
    """Withdraw the actor's own submitted bid while the tender still takes bids (a withdrawn bid is not opened; it
    may be submitted again before the close). Another supplier's bid is NotFound."""
    bid = await visibility.get_visible(visibility.bids(actor), bid_id)
    if bid is None:
        raise NotFound("no such bid", field="id")
    tt.check(tt.BID, bid, "withdraw", actor)
    now = clock.now()
    tender = await Tender.get(id=bid.tender_id)
    require_open_for_bids(tender, now, "id")
    async with in_transaction() as connection:
        require_open_for_bids(await _locked_tender(connection, tender), now, "id")
        await tt.apply(connection, tt.BID, bid, "withdraw", actor=actor, at=now, expect={"revision": bid.revision},
                       data={"tender": tender.number, "revision": bid.revision})
    return bid
