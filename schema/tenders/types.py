"""GraphQL types for tenders, invitations, sealed bids and awards."""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime
from decimal import Decimal

import strawberry

from domain import models as m
from schema.context import Info
from schema.enums import BidStatus, TenderStatus, TenderVisibility
from schema.money import Money, money
from schema.parties.types import Organization, User, load_organization
from schema.tenders.loaders import (
    awards_by_tender, bids_by_tender, closer_by_id, invitations_by_tender, lines_by_bid, lines_by_tender,
    own_bid_by_tender, tender_line_by_id,
)
from workflows import tendering


async def load_tender_line(info: Info, line_id: uuid.UUID | None) -> TenderLine | None:
    """The tender line `line_id` if the viewer may see it (for the `tenderLine` fields of bid lines and awards)."""
    if line_id is None:
        return None
    row = await info.context.loader(tender_line_by_id).load(line_id)
    return TenderLine.from_row(row) if row else None


@strawberry.type(description="An item asked for in a tender.")
class TenderLine:
    id: strawberry.ID
    line_no: int
    item_code: str
    item_name: str
    specification: str
    quantity: Decimal
    unit: str
    required_by: date | None

    @classmethod
    def from_row(cls, row: m.TenderLine) -> TenderLine:
        return cls(
            id=strawberry.ID(str(row.id)), line_no=row.line_no, item_code=row.item_code, item_name=row.item_name,
            specification=row.specification, quantity=row.quantity, unit=row.unit, required_by=row.required_by,
        )


@strawberry.type(description="A supplier invited to bid (a supplier sees its own invitation only).")
class TenderInvitation:
    id: strawberry.ID
    declined_at: datetime | None
    decline_reason: str
    supplier_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @classmethod
    def from_row(cls, row: m.TenderInvitation) -> TenderInvitation:
        return cls(id=strawberry.ID(str(row.id)), declined_at=row.declined_at, decline_reason=row.decline_reason,
                   supplier_id=row.supplier_id)


@strawberry.type(description="A bid's price for one tender line.")
class BidLine:
    id: strawberry.ID
    unit_price: Money
    quantity: Decimal
    amount: Money
    delivery_days: int
    note: str
    tender_line_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def tender_line(self, info: Info) -> TenderLine | None:
        return await load_tender_line(info, self.tender_line_id)

    @classmethod
    def from_row(cls, row: m.BidLine, currency: str) -> BidLine:
        return cls(
            id=strawberry.ID(str(row.id)), unit_price=money(row.unit_price, currency), quantity=row.quantity,
            amount=money(row.amount, currency), delivery_days=row.delivery_days, note=row.note,
            tender_line_id=row.tender_line_id,
        )


@strawberry.type(description="A supplier's sealed bid: its own supplier sees it at any time, buyer staff once closed.")
class Bid:
    id: strawberry.ID
    status: BidStatus
    currency: str
    total: Money
    note: str
    revision: int
    submitted_at: datetime | None
    withdrawn_at: datetime | None
    content_hash: str = strawberry.field(description="SHA-256 of the canonical bid: the sealed receipt.")
    supplier_id: strawberry.Private[uuid.UUID]
    timestamp_token: strawberry.Private[bytes | None] = None

    @strawberry.field(description="Whether an RFC 3161 time-stamping authority stamped `contentHash` at submission.")
    def timestamped(self) -> bool:
        return self.timestamp_token is not None

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field
    async def lines(self, info: Info) -> list[BidLine]:
        rows = await info.context.loader(lines_by_bid).load(uuid.UUID(self.id))
        return [BidLine.from_row(row, self.currency) for row in rows]

    @classmethod
    def from_row(cls, row: m.Bid) -> Bid:
        return cls(
            id=strawberry.ID(str(row.id)), status=row.status, currency=row.currency,
            total=money(row.total_amount, row.currency), note=row.note, revision=row.revision,
            submitted_at=row.submitted_at, withdrawn_at=row.withdrawn_at, content_hash=row.content_hash,
            supplier_id=row.supplier_id, timestamp_token=row.timestamp_token,
        )


@strawberry.type(description="An award of a whole tender (no tender line) or of one line, to one supplier.")
class Award:
    id: strawberry.ID
    quantity: Decimal
    unit_price: Money
    amount: Money
    created_at: datetime
    supplier_id: strawberry.Private[uuid.UUID]
    tender_line_id: strawberry.Private[uuid.UUID | None]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)

    @strawberry.field
    async def tender_line(self, info: Info) -> TenderLine | None:
        return await load_tender_line(info, self.tender_line_id)

    @classmethod
    def from_row(cls, row: m.Award, currency: str) -> Award:
        return cls(
            id=strawberry.ID(str(row.id)), quantity=row.quantity, unit_price=money(row.unit_price, currency),
            amount=money(row.amount, currency), created_at=row.created_at, supplier_id=row.supplier_id,
            tender_line_id=row.tender_line_id,
        )


@strawberry.type(description="A request for sealed bids, open until `closesAt`.")
class Tender:
    id: strawberry.ID
    number: str
    title: str
    description: str
    status: TenderStatus
    visibility: TenderVisibility
    category: str
    currency: str
    opens_at: datetime | None
    closes_at: datetime
    published_at: datetime | None
    closed_at: datetime | None
    awarded_at: datetime | None
    cancelled_at: datetime | None
    cancel_reason: str
    created_at: datetime
    closed_by_id: strawberry.Private[uuid.UUID | None] = None

    @strawberry.field(description="Who opened the bids by hand: buyer staff see the staff member; null when the "
                                  "portal closed the tender at `closesAt`, and always for suppliers.")
    async def closed_by(self, info: Info) -> User | None:
        if self.closed_by_id is None:
            return None
        row = await info.context.loader(closer_by_id).load(self.closed_by_id)
        return User.from_row(row) if row else None

    @strawberry.field
    async def lines(self, info: Info) -> list[TenderLine]:
        rows = await info.context.loader(lines_by_tender).load(uuid.UUID(self.id))
        return [TenderLine.from_row(row) for row in rows]

    @strawberry.field(description="Invited suppliers: a supplier sees its own invitation only.")
    async def invitations(self, info: Info) -> list[TenderInvitation]:
        rows = await info.context.loader(invitations_by_tender).load(uuid.UUID(self.id))
        return [TenderInvitation.from_row(row) for row in rows]

    @strawberry.field(description="The viewer's organisation's own bid, if any; always null for buyer staff.")
    async def my_bid(self, info: Info) -> Bid | None:
        if not info.context.require_actor().is_supplier:
            return None  # only a supplier has a bid of its own; spares the query
        row = await info.context.loader(own_bid_by_tender).load(uuid.UUID(self.id))
        return Bid.from_row(row) if row else None

    @strawberry.field(description="Sealed: buyer staff see the submitted bids once the tender is closed or awarded; "
                                  "a supplier sees its own bid only.")
    async def bids(self, info: Info) -> list[Bid]:
        rows = await info.context.loader(bids_by_tender).load(uuid.UUID(self.id))
        return [Bid.from_row(row) for row in rows]

    @strawberry.field(description="Awards: a supplier sees its own only.")
    async def awards(self, info: Info) -> list[Award]:
        rows = await info.context.loader(awards_by_tender).load(uuid.UUID(self.id))
        return [Award.from_row(row, self.currency) for row in rows]

    @classmethod
    def from_row(cls, row: m.Tender) -> Tender:
        return cls(
            id=strawberry.ID(str(row.id)), number=row.number, title=row.title, description=row.description,
            status=row.status, visibility=row.visibility, category=row.category, currency=row.currency,
            opens_at=row.opens_at, closes_at=row.closes_at, published_at=row.published_at, closed_at=row.closed_at,
            awarded_at=row.awarded_at, cancelled_at=row.cancelled_at, cancel_reason=row.cancel_reason,
            created_at=row.created_at, closed_by_id=row.closed_by_id,
        )


@strawberry.type(description="The receipt of a bid submission: what the supplier keeps to prove what it submitted, and "
                             "when. Recompute `contentHash` from the bid to check it was not changed.")
class BidReceipt:
    content_hash: str = strawberry.field(description="SHA-256 of the bid's canonical JSON (tender number, supplier "
                                                     "code, revision, currency, note and lines).")
    submitted_at: datetime
    revision: int
    timestamped: bool = strawberry.field(description="Whether an RFC 3161 time-stamping authority stamped the hash.")
    timestamp_token: str | None = strawberry.field(description="The RFC 3161 time-stamp token (DER, base64).")

    @classmethod
    def from_receipt(cls, receipt: tendering.BidReceipt) -> BidReceipt:
        token = receipt.timestamp_token
        return cls(content_hash=receipt.content_hash, submitted_at=receipt.submitted_at, revision=receipt.revision,
                   timestamped=token is not None, timestamp_token=base64.b64encode(token).decode() if token else None)


@strawberry.type(description="One supplier's price for one tender line, in the evaluation.")
class EvaluatedOffer:
    unit_price: Money
    amount: Money
    delivery_days: int
    note: str
    lowest: bool = strawberry.field(description="Whether this is the line's lowest unit price (ties: all of them).")
    supplier_id: strawberry.Private[uuid.UUID]

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.supplier_id)


@strawberry.type(description="A tender line's offers side by side, with the lowest and the average unit price.")
class TenderLineEvaluation:
    tender_line: TenderLine
    offers: list[EvaluatedOffer] = strawberry.field(description="In bidder order (supplier code).")
    lowest: Money | None
    average: Money | None = strawberry.field(description="Of the unit prices offered, rounded to 4 decimals.")


@strawberry.type(description="A bidder in the evaluation: its bid, its total and which lines it priced.")
class EvaluatedBidder:
    bid: Bid
    total: Money
    lines_priced: int
    complete: bool = strawberry.field(description="Prices every line: may be awarded the whole tender.")

    @strawberry.field
    async def supplier(self, info: Info) -> Organization | None:
        return await load_organization(info, self.bid.supplier_id)


@strawberry.type(description="The evaluation of a closed or awarded tender (buyer staff only).")
class TenderEvaluation:
    tender: Tender
    bidders: list[EvaluatedBidder]
    lines: list[TenderLineEvaluation]

    @classmethod
    def from_evaluation(cls, evaluation: tendering.TenderEvaluation) -> TenderEvaluation:
        currency = evaluation.tender.currency

        def maybe(amount: Decimal | None) -> Money | None:
            return money(amount, currency) if amount is not None else None

        return cls(
            tender=Tender.from_row(evaluation.tender),
            bidders=[EvaluatedBidder(bid=Bid.from_row(bidder.bid), total=money(bidder.total, currency),
                                     lines_priced=bidder.lines_priced, complete=bidder.complete)
                     for bidder in evaluation.bidders],
            lines=[TenderLineEvaluation(
                tender_line=TenderLine.from_row(line.line),
                offers=[EvaluatedOffer(unit_price=money(offer.unit_price, currency),
                                       amount=money(offer.amount, currency), delivery_days=offer.delivery_days,
                                       note=offer.note, lowest=offer.unit_price == line.lowest,
                                       supplier_id=offer.supplier_id) for offer in line.offers],
                lowest=maybe(line.lowest), average=maybe(line.average),
            ) for line in evaluation.lines],
        )
