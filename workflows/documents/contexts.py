"""What each document template shows: one frozen dataclass per document kind, built by workflows, read by templates.

Everything a template prints is here, already computed: amounts are `Decimal` (never floats), totals are given (and
checked against the lines), dates are `date`s and times are timezone-aware `datetime`s (printed in the letterhead's time
zone). Templates do no arithmetic. `workflows.documents.samples` builds realistic bilingual examples of each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from domain.enums import DocumentKind
from domain.money import CURRENCIES

SHA256_HEX = re.compile(r"[0-9a-f]{64}")

DOCUMENT_TITLES: dict[DocumentKind, tuple[str, str]] = {
    DocumentKind.CONTRACT: ("采购合同", "Purchase contract"),
    DocumentKind.PURCHASE_ORDER: ("采购订单", "Purchase order"),
    DocumentKind.STATEMENT: ("对账单", "Statement of account"),
    DocumentKind.AWARD_NOTICE: ("中标通知书", "Notice of award"),
    DocumentKind.TENDER_OPENING_RECORD: ("开标记录", "Tender opening record"),
    DocumentKind.PRODUCTION_PLAN: ("生产计划", "Production plan"),
}


def _check_types(instance: object) -> None:
    """Refuse floats where money or quantities belong, and naive datetimes: both would print wrong figures or times."""
    for field in fields(instance):  # type: ignore[arg-type]
        value = getattr(instance, field.name)
        if "Decimal" in field.type and value is not None and not isinstance(value, Decimal):
            raise TypeError(f"{type(instance).__name__}.{field.name} must be a Decimal, not {type(value).__name__}")
        if "datetime" in field.type and isinstance(value, datetime) and value.tzinfo is None:
            raise ValueError(f"{type(instance).__name__}.{field.name} must be timezone-aware")


def _check_sum(owner: str, total: Decimal, amounts: list[Decimal]) -> None:
    if total != sum(amounts, Decimal(0)):
        raise ValueError(f"{owner} is {total} but its lines add up to {sum(amounts, Decimal(0))}")


def _check_currency(currency: str) -> None:
    if currency not in CURRENCIES:
        raise ValueError(f"unknown currency {currency!r}")


def _check_sha256(owner: str, value: str) -> None:
    if not SHA256_HEX.fullmatch(value):
        raise ValueError(f"{owner} must be 64 lowercase hex digits, got {value!r}")


# --- shared parts -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The issuing company, from configuration. Times on its documents are printed in `time_zone`."""

    name_zh: str
    name_en: str
    address_zh: str
    address_en: str
    phone: str
    tax_id: str  # 统一社会信用代码 (unified social credit code)
    email: str = ""
    website: str = ""
    logo_asset: str | None = None  # a file in templates/static/, e.g. "logo.svg"
    time_zone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Party:
    """A company named on a document: the buyer or a supplier."""

    code: str
    name_zh: str
    name_en: str
    address: str = ""
    tax_id: str = ""
    contact: str = ""
    phone: str = ""
    bank_name: str = ""
    bank_account: str = ""


@dataclass(frozen=True)
class VerificationBlock:
    """How a reader checks the document: its number, the sha256 of the issued version's content, and where to verify."""

    number: str
    content_sha256: str
    verify_url: str

    def __post_init__(self) -> None:
        _check_sha256("VerificationBlock.content_sha256", self.content_sha256)


@dataclass(frozen=True)
class DocumentContext:
    """What every document has: the letterhead and the verification block (which carries the document number)."""

    letterhead: Letterhead
    verification: VerificationBlock

    @property
    def number(self) -> str:
        return self.verification.number

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class ItemLine:
    """A line of goods with a price: contracts, purchase orders and awards. `amount` is quantity x price, rounded."""

    line_no: int
    item_code: str
    name_zh: str
    name_en: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    delivery_date: date | None = None

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class Clause:
    heading_zh: str
    heading_en: str
    body_zh: str
    body_en: str


# --- one context per document kind ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractContext(DocumentContext):
    title_zh: str
    title_en: str
    buyer: Party
    supplier: Party
    issued_on: date
    valid_from: date
    valid_until: date
    currency: str
    lines: tuple[ItemLine, ...]
    total: Decimal  # tax included
    tax_rate: Decimal  # 0.13 for 13 % VAT, included in the prices
    clauses: tuple[Clause, ...] = ()
    award_number: str = ""
    countersign_by: datetime | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_currency(self.currency)
        _check_sum("ContractContext.total", self.total, [line.amount for line in self.lines])


@dataclass(frozen=True)
class PurchaseOrderContext(DocumentContext):
    buyer: Party
    supplier: Party
    ordered_on: date
    currency: str
    lines: tuple[ItemLine, ...]  # each with its delivery date
    total: Decimal  # tax included
    tax_rate: Decimal
    delivery_address: str
    contract_number: str = ""
    acknowledge_by: datetime | None = None
    notes: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_currency(self.currency)
        _check_sum("PurchaseOrderContext.total", self.total, [line.amount for line in self.lines])


@dataclass(frozen=True)
class ReceiptLine:
    """Goods received in the period, priced at the agreed price."""

    line_no: int
    received_on: date
    receipt_number: str
    order_number: str
    item_code: str
    name_zh: str
    name_en: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class DeductionLine:
    """An amount taken off the statement (quality claim, late delivery penalty…). `amount` is positive."""

    line_no: int
    dated: date
    reference: str
    reason_zh: str
    reason_en: str
    amount: Decimal

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class StatementContext(DocumentContext):
    buyer: Party
    supplier: Party
    period_start: date
    period_end: date
    issued_on: date
    currency: str
    receipts: tuple[ReceiptLine, ...]
    deductions: tuple[DeductionLine, ...]
    receipts_total: Decimal
    deductions_total: Decimal
    amount_due: Decimal  # receipts_total - deductions_total
    confirm_by: datetime | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_currency(self.currency)
        _check_sum("StatementContext.receipts_total", self.receipts_total, [line.amount for line in self.receipts])
        _check_sum(
            "StatementContext.deductions_total", self.deductions_total, [line.amount for line in self.deductions]
        )
        if self.amount_due != self.receipts_total - self.deductions_total:
            raise ValueError("StatementContext.amount_due must be receipts_total - deductions_total")


@dataclass(frozen=True)
class AwardNoticeContext(DocumentContext):
    tender_number: str
    tender_title_zh: str
    tender_title_en: str
    buyer: Party
    supplier: Party  # the winner
    awarded_on: date
    currency: str
    lines: tuple[ItemLine, ...]
    total: Decimal
    contract_due_by: date | None = None
    remarks: str = ""

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_currency(self.currency)
        _check_sum("AwardNoticeContext.total", self.total, [line.amount for line in self.lines])


@dataclass(frozen=True)
class OpenedBid:
    """A sealed bid as opened: who, when it was submitted, its total and the hash of its canonical form."""

    supplier: Party
    submitted_at: datetime
    total: Decimal
    canonical_sha256: str

    def __post_init__(self) -> None:
        _check_types(self)
        _check_sha256("OpenedBid.canonical_sha256", self.canonical_sha256)


@dataclass(frozen=True)
class TenderOpeningRecordContext(DocumentContext):
    tender_number: str
    tender_title_zh: str
    tender_title_en: str
    buyer: Party
    closes_at: datetime
    opened_at: datetime
    opened_by: tuple[str, ...]  # the people present, e.g. "王敏 Wang Min (采购 Procurement)"
    currency: str
    bids: tuple[OpenedBid, ...]  # in the order of submission
    invited_count: int

    def __post_init__(self) -> None:
        super().__post_init__()
        _check_currency(self.currency)


@dataclass(frozen=True)
class PlanLineRow:
    line_no: int
    item_code: str
    name_zh: str
    name_en: str
    plant: str
    week: str  # ISO week, "2026-W14"
    quantity: Decimal
    unit: str
    expected_supplier: str  # empty when not yet assigned

    def __post_init__(self) -> None:
        _check_types(self)


class PlanChangeKind(StrEnum):
    ADDED = "ADDED"
    REMOVED = "REMOVED"
    CHANGED = "CHANGED"  # the quantity changed


@dataclass(frozen=True)
class PlanChange:
    """A difference from the previous revision, keyed by item, plant and week."""

    change: PlanChangeKind
    item_code: str
    name_zh: str
    name_en: str
    plant: str
    week: str
    unit: str
    previous_quantity: Decimal | None  # None when ADDED
    quantity: Decimal | None  # None when REMOVED

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class PlanRevisionContext(DocumentContext):
    """One published revision, in the copy addressed to one supplier (suppliers never see each other's lines)."""

    plan_title_zh: str
    plan_title_en: str
    revision: int
    buyer: Party
    supplier: Party
    published_at: datetime
    horizon_start: date
    horizon_end: date
    lines: tuple[PlanLineRow, ...]
    previous_revision: int | None = None
    changes: tuple[PlanChange, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class EvidenceEvent:
    at: datetime
    actor: str
    action: str
    detail: str = ""

    def __post_init__(self) -> None:
        _check_types(self)


@dataclass(frozen=True)
class EvidenceVersion:
    """One stored version of the document: each signature makes a new one."""

    version: int
    sha256: str
    created_at: datetime
    size_bytes: int
    signed_by: str
    certificate_sha256: str = ""
    timestamped_at: datetime | None = None

    def __post_init__(self) -> None:
        _check_types(self)
        _check_sha256("EvidenceVersion.sha256", self.sha256)


@dataclass(frozen=True)
class EvidenceContext(DocumentContext):
    """The certificate of completion of one document: its audit trail and versions. `verification` is the document's."""

    document_kind: DocumentKind
    generated_at: datetime
    events: tuple[EvidenceEvent, ...]
    versions: tuple[EvidenceVersion, ...]


CONTEXT_TYPES: dict[DocumentKind, type[DocumentContext]] = {
    DocumentKind.CONTRACT: ContractContext,
    DocumentKind.PURCHASE_ORDER: PurchaseOrderContext,
    DocumentKind.STATEMENT: StatementContext,
    DocumentKind.AWARD_NOTICE: AwardNoticeContext,
    DocumentKind.TENDER_OPENING_RECORD: TenderOpeningRecordContext,
    DocumentKind.PRODUCTION_PLAN: PlanRevisionContext,
}
