"""What staff and suppliers send to the tender workflows, and the checks on its shape (lengths, counts, decimals).

Checks that need the database (does this supplier exist, is it qualified) live with the workflow that needs them. Every
refusal names the input field as the GraphQL client sends it (`lines[2].unitPrice`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from domain.enums import TenderVisibility
from domain.errors import ValidationFailed
from domain.money import CURRENCIES, DEFAULT_CURRENCY, PRICE_DIGITS, QUANTITY_DIGITS
from workflows.inputs import (  # noqa: F401 - the tender workflows import them from here
    AMOUNT_LIMIT, MAX_ITEM_CODE_LENGTH, MAX_ITEM_NAME_LENGTH, MAX_LINES, MAX_TITLE_LENGTH, MAX_UNIT_LENGTH, PRICE_LIMIT,
    QUANTITY_LIMIT, aware, decimal_value, text,
)

MAX_INVITED_SUPPLIERS = 200
MAX_DESCRIPTION_LENGTH = 4000
MAX_CATEGORY_LENGTH = 64
MAX_SPECIFICATION_LENGTH = 500
MAX_BID_NOTE_LENGTH = 1000
MAX_BID_LINE_NOTE_LENGTH = 500
MAX_REASON_LENGTH = 500
MAX_DELIVERY_DAYS = 3650
# A tender is a sourcing event, not a standing offer: bids are due within a year of its creation.
MAX_BIDDING_WINDOW = timedelta(days=366)


@dataclass(frozen=True)
class TenderLineInput:
    item_code: str
    item_name: str
    quantity: Decimal
    unit: str = "PCS"
    specification: str = ""
    required_by: date | None = None


@dataclass(frozen=True)
class TenderInput:
    """A new tender: INVITED (to `invited_supplier_ids`) or OPEN (to every qualified supplier of `category`, found when
    it is published)."""

    title: str
    closes_at: datetime
    lines: tuple[TenderLineInput, ...]
    visibility: TenderVisibility = TenderVisibility.INVITED
    invited_supplier_ids: tuple[uuid.UUID, ...] = ()
    category: str = ""
    currency: str = DEFAULT_CURRENCY
    opens_at: datetime | None = None
    description: str = ""


@dataclass(frozen=True)
class BidLineInput:
    """A price for one tender line, for the quantity the tender asks."""

    tender_line_id: uuid.UUID
    unit_price: Decimal
    delivery_days: int = 0
    note: str = ""


@dataclass(frozen=True)
class AwardLineInput:
    """One tender line awarded to one bid."""

    tender_line_id: uuid.UUID
    bid_id: uuid.UUID


def checked_tender(data: TenderInput, now: datetime) -> TenderInput:
    """The tender input normalised (text stripped, decimals quantised, invitees deduplicated) or a refusal."""
    closes_at = aware(data.closes_at, "closesAt")
    opens_at = aware(data.opens_at, "opensAt")
    if closes_at <= now:
        raise ValidationFailed("the closing time must be in the future", field="closesAt", code="CLOSES_AT_PASSED")
    if closes_at > now + MAX_BIDDING_WINDOW:
        raise ValidationFailed(f"the closing time is at most {MAX_BIDDING_WINDOW.days} days ahead", field="closesAt")
    if opens_at is not None and opens_at >= closes_at:
        raise ValidationFailed("bidding must open before it closes", field="opensAt")
    if data.currency not in CURRENCIES:
        raise ValidationFailed(f"the currency is one of {', '.join(sorted(CURRENCIES))}", field="currency")
    visibility = TenderVisibility(data.visibility)
    category = text(data.category, "category", MAX_CATEGORY_LENGTH, required=visibility is TenderVisibility.OPEN)
    invited = tuple(dict.fromkeys(data.invited_supplier_ids))
    if visibility is TenderVisibility.OPEN and invited:
        raise ValidationFailed("an open tender invites every qualified supplier of its category: name no suppliers",
                               field="invitedSupplierIds")
    if visibility is TenderVisibility.INVITED and not invited:
        raise ValidationFailed("invite at least one supplier", field="invitedSupplierIds", code="NO_INVITEES")
    if len(invited) > MAX_INVITED_SUPPLIERS:
        raise ValidationFailed(f"invite at most {MAX_INVITED_SUPPLIERS} suppliers", field="invitedSupplierIds")
    return TenderInput(
        title=text(data.title, "title", MAX_TITLE_LENGTH, required=True), closes_at=closes_at,
        lines=checked_tender_lines(data.lines), visibility=visibility, invited_supplier_ids=invited,
        category=category, currency=data.currency, opens_at=opens_at,
        description=text(data.description, "description", MAX_DESCRIPTION_LENGTH),
    )


def checked_tender_lines(lines: Sequence[TenderLineInput]) -> tuple[TenderLineInput, ...]:
    if not lines:
        raise ValidationFailed("a tender needs at least one line", field="lines", code="NO_LINES")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"a tender has at most {MAX_LINES} lines", field="lines")
    return tuple(
        TenderLineInput(
            item_code=text(line.item_code, f"lines[{i}].itemCode", MAX_ITEM_CODE_LENGTH, required=True),
            item_name=text(line.item_name, f"lines[{i}].itemName", MAX_ITEM_NAME_LENGTH, required=True),
            quantity=decimal_value(line.quantity, f"lines[{i}].quantity", places=QUANTITY_DIGITS["decimal_places"],
                                   limit=QUANTITY_LIMIT, positive=True),
            unit=text(line.unit, f"lines[{i}].unit", MAX_UNIT_LENGTH, required=True),
            specification=text(line.specification, f"lines[{i}].specification", MAX_SPECIFICATION_LENGTH),
            required_by=line.required_by,
        )
        for i, line in enumerate(lines)
    )


def checked_bid_lines(lines: Sequence[BidLineInput]) -> tuple[BidLineInput, ...]:
    """Bid lines normalised; each tender line priced at most once."""
    if not lines:
        raise ValidationFailed("price at least one line", field="lines", code="NO_LINES")
    if len(lines) > MAX_LINES:
        raise ValidationFailed(f"a bid has at most {MAX_LINES} lines", field="lines")
    seen: set[uuid.UUID] = set()
    checked = []
    for i, line in enumerate(lines):
        if line.tender_line_id in seen:
            raise ValidationFailed("this tender line is priced twice", field=f"lines[{i}].tenderLineId",
                                   code="DUPLICATE_LINE")
        seen.add(line.tender_line_id)
        if not 0 <= line.delivery_days <= MAX_DELIVERY_DAYS:
            raise ValidationFailed(f"delivery takes 0 to {MAX_DELIVERY_DAYS} days", field=f"lines[{i}].deliveryDays")
        checked.append(BidLineInput(
            tender_line_id=line.tender_line_id,
            unit_price=decimal_value(line.unit_price, f"lines[{i}].unitPrice", places=PRICE_DIGITS["decimal_places"],
                                     limit=PRICE_LIMIT, positive=False),
            delivery_days=line.delivery_days,
            note=text(line.note, f"lines[{i}].note", MAX_BID_LINE_NOTE_LENGTH),
        ))
    return tuple(checked)
