"""From records to what a document shows: one function per document kind, returning its Subject and context.

The contexts carry a placeholder verification block; `DocumentService.issue` fills in the real one.
"""

from __future__ import annotations

import hashlib

from collections.abc import Sequence
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.enums import BidStatus, DocumentKind, OrgKind, StatementLineKind
from domain.models import (
    Award,
    Bid,
    Contract,
    Organization,
    PlanLine,
    PlanRevision,
    PurchaseOrder,
    PurchaseOrderLine,
    Statement,
    Tender,
)
from workflows.documents.contexts import (
    AwardNoticeContext,
    ContractContext,
    DeductionLine,
    ItemLine,
    Letterhead,
    OpenedBid,
    Party,
    PlanLineRow,
    PlanRevisionContext,
    PurchaseOrderContext,
    ReceiptLine,
    StatementContext,
    TenderOpeningRecordContext,
)
from workflows.documents.issuing import Subject, placeholder_verification

VAT_RATE = Decimal("0.13")


def split_name(name: str) -> tuple[str, str]:
    """`六角螺栓 M8x30 / Hex bolt M8x30` -> the Chinese and the English halves (the same text twice if not bilingual)."""
    zh, separator, en = name.partition(" / ")
    return (zh, en) if separator else (name, name)


def party(organization: Organization) -> Party:
    return Party(code=organization.code, name_zh=organization.name_zh, name_en=organization.name_en,
                 address=organization.address, tax_id=organization.credit_code, contact=organization.contact_email)


async def buyer_organization() -> Organization:
    return await Organization.get(kind=OrgKind.BUYER)


def letterhead_of(buyer: Organization) -> Letterhead:
    """The letterhead comes from the buyer organisation's record, which its admin maintains."""
    address_zh, address_en = split_name(buyer.address) if buyer.address else ("", "")
    return Letterhead(name_zh=buyer.name_zh, name_en=buyer.name_en, address_zh=address_zh, address_en=address_en,
                      phone="", tax_id=buyer.credit_code, email=buyer.contact_email, logo_asset="logo.svg")


def _item(line_no: int, code: str, name: str, unit: str, quantity: Decimal, price: Decimal, amount: Decimal,
          delivery=None) -> ItemLine:  # noqa: ANN001
    zh, en = split_name(name)
    return ItemLine(line_no=line_no, item_code=code, name_zh=zh, name_en=en, unit=unit, quantity=quantity,
                    unit_price=price, amount=amount, delivery_date=delivery)


async def contract_document(contract: Contract, letterhead: Letterhead) -> tuple[Subject, ContractContext]:
    await contract.fetch_related("supplier", "lines", "tender")
    buyer = await buyer_organization()
    title_zh, title_en = split_name(contract.title)
    lines = tuple(_item(line.line_no, line.item_code, line.item_name, line.unit, line.quantity, line.unit_price,
                        line.amount) for line in sorted(contract.lines, key=lambda line: line.line_no))
    issued = (contract.issued_at or contract.created_at).date()
    context = ContractContext(
        letterhead=letterhead, verification=placeholder_verification(contract.number), title_zh=title_zh,
        title_en=title_en, buyer=party(buyer), supplier=party(contract.supplier), issued_on=issued,
        valid_from=contract.valid_from, valid_until=contract.valid_to, currency=contract.currency, lines=lines,
        total=sum((line.amount for line in lines), Decimal(0)), tax_rate=VAT_RATE,
        award_number=contract.tender.number if contract.tender else "",
    )
    return Subject(DocumentKind.CONTRACT, "Contract", contract.id, contract.number, contract.title,
                   contract.supplier_id), context


async def purchase_order_document(order: PurchaseOrder, letterhead: Letterhead
                                  ) -> tuple[Subject, PurchaseOrderContext]:
    await order.fetch_related("supplier", "lines", "contract")
    return purchase_order_terms_document(order, order.supplier, order.contract, list(order.lines),
                                         await buyer_organization(), letterhead)


def purchase_order_terms_document(order: PurchaseOrder, supplier: Organization, contract: Contract | None,
                                  lines: Sequence[PurchaseOrderLine], buyer: Organization, letterhead: Letterhead,
                                  notes: str = "") -> tuple[Subject, PurchaseOrderContext]:
    """The order's document for the given terms, which need not be stored yet: an order rendered before the
    transaction that records it, or the terms of an accepted change rendered before they are applied."""
    items = tuple(_item(line.line_no, line.item_code, line.item_name, line.unit, line.quantity, line.unit_price,
                        line.amount, line.delivery_date) for line in sorted(lines, key=lambda line: line.line_no))
    context = PurchaseOrderContext(
        letterhead=letterhead, verification=placeholder_verification(order.number), buyer=party(buyer),
        supplier=party(supplier), ordered_on=(order.issued_at or order.created_at).date(),
        currency=order.currency, lines=items, total=sum((line.amount for line in items), Decimal(0)),
        tax_rate=VAT_RATE, delivery_address=order.delivery_address or order.plant,
        contract_number=contract.number if contract else "", notes=notes,
    )
    return Subject(DocumentKind.PURCHASE_ORDER, "PurchaseOrder", order.id, order.number,
                   f"采购订单 / Purchase order {order.number}", supplier.id), context


async def statement_document(statement: Statement, letterhead: Letterhead) -> tuple[Subject, StatementContext]:
    await statement.fetch_related("supplier")
    buyer = await buyer_organization()
    rows = await statement.lines.all().order_by("line_no").prefetch_related(
        "receipt_line__receipt", "receipt_line__order_line__order")
    receipts: list[ReceiptLine] = []
    deductions: list[DeductionLine] = []
    zone = ZoneInfo(letterhead.time_zone)  # a receipt at 20:00 UTC on the 31st was received on the 1st in Shanghai
    issued = (statement.issued_at or statement.created_at).astimezone(zone).date()
    for row in rows:
        receipt_line = row.receipt_line
        if row.kind is StatementLineKind.RECEIPT and receipt_line is not None:
            order_line = receipt_line.order_line
            zh, en = split_name(order_line.item_name)
            receipts.append(ReceiptLine(
                line_no=len(receipts) + 1, received_on=receipt_line.receipt.received_at.astimezone(zone).date(),
                receipt_number=receipt_line.receipt.number, order_number=order_line.order.number,
                item_code=order_line.item_code, name_zh=zh, name_en=en, unit=order_line.unit,
                quantity=row.quantity, unit_price=row.unit_price, amount=row.amount))
        else:
            zh, en = split_name(row.description)
            deductions.append(DeductionLine(
                line_no=len(deductions) + 1,
                dated=receipt_line.receipt.received_at.astimezone(zone).date() if receipt_line else issued,
                reference=receipt_line.receipt.number if receipt_line else statement.number,
                reason_zh=zh, reason_en=en, amount=-row.amount))
    receipts_total = sum((line.amount for line in receipts), Decimal(0))
    deductions_total = sum((line.amount for line in deductions), Decimal(0))
    context = StatementContext(
        letterhead=letterhead, verification=placeholder_verification(statement.number), buyer=party(buyer),
        supplier=party(statement.supplier), period_start=statement.period_start, period_end=statement.period_end,
        issued_on=issued, currency=statement.currency, receipts=tuple(receipts), deductions=tuple(deductions),
        receipts_total=receipts_total, deductions_total=deductions_total,
        amount_due=receipts_total - deductions_total,
    )
    return Subject(DocumentKind.STATEMENT, "Statement", statement.id, statement.number,
                   f"对账单 / Statement {statement.number}", statement.supplier_id), context


def winner_letter(index: int) -> str:
    """A, B, … Z, AA, AB, …: the letter of the `index`-th winner (from 0) of a tender."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


async def award_notice_number(tender: Tender, supplier: Organization) -> str:
    """`ZB-2026-0001-A`: the tender's number and the winner's letter in supplier code order. Short whatever the
    supplier's code (up to 32 characters, as long as the whole number may be); stable, since awards never change."""
    codes = sorted(set(await Award.filter(tender=tender).values_list("supplier__code", flat=True)))
    return f"{tender.number}-{winner_letter(codes.index(supplier.code))}"


async def award_notice_document(tender: Tender, supplier: Organization, letterhead: Letterhead
                                ) -> tuple[Subject, AwardNoticeContext]:
    """The notice to one winning supplier of what it was awarded in `tender`."""
    buyer = await buyer_organization()
    number = await award_notice_number(tender, supplier)
    awards = await Award.filter(tender=tender, supplier=supplier).prefetch_related("tender_line").order_by(
        "created_at", "id")
    lines = []
    for n, award in enumerate(awards, start=1):
        line = award.tender_line
        name = line.item_name if line else tender.title
        lines.append(_item(n, line.item_code if line else tender.number, name, line.unit if line else "LOT",
                           award.quantity, award.unit_price, award.amount))
    title_zh, title_en = split_name(tender.title)
    awarded = awards[0].created_at if awards else (tender.awarded_at or tender.created_at)
    context = AwardNoticeContext(
        letterhead=letterhead, verification=placeholder_verification(number),
        tender_number=tender.number, tender_title_zh=title_zh, tender_title_en=title_en, buyer=party(buyer),
        supplier=party(supplier), awarded_on=awarded.date(), currency=tender.currency, lines=tuple(lines),
        total=sum((line.amount for line in lines), Decimal(0)),
    )
    # One notice per winner: the subject is the tender, seen through the winner's award.
    return Subject(DocumentKind.AWARD_NOTICE, "Award", awards[0].id, number,
                   f"中标通知书 / Award notice {tender.number}", supplier.id), context


async def opening_record_document(tender: Tender, letterhead: Letterhead, opened_by: tuple[str, ...]
                                  ) -> tuple[Subject, TenderOpeningRecordContext]:
    buyer = await buyer_organization()
    # Only the bids standing at the close are opened: a withdrawn bid was submitted once, but is not a bid.
    bids = await Bid.filter(tender=tender, status=BidStatus.SUBMITTED).prefetch_related("supplier").order_by(
        "submitted_at")
    invited = await tender.invitations.all().count()
    title_zh, title_en = split_name(tender.title)
    context = TenderOpeningRecordContext(
        letterhead=letterhead, verification=placeholder_verification(tender.number), tender_number=tender.number,
        tender_title_zh=title_zh, tender_title_en=title_en, buyer=party(buyer), closes_at=tender.closes_at,
        opened_at=tender.closed_at or tender.closes_at, opened_by=opened_by, currency=tender.currency,
        bids=tuple(OpenedBid(supplier=party(bid.supplier), submitted_at=bid.submitted_at, total=bid.total_amount,
                             canonical_sha256=bid.content_hash) for bid in bids if bid.content_hash),
        invited_count=invited,
    )
    return Subject(DocumentKind.TENDER_OPENING_RECORD, "Tender", tender.id, tender.number,
                   f"开标记录 / Opening record {tender.number}", None), context


async def plan_revision_document(revision: PlanRevision, supplier: Organization, letterhead: Letterhead
                                 ) -> tuple[Subject, PlanRevisionContext]:
    """The copy of a published revision addressed to one supplier: only the lines expected from it."""
    await revision.fetch_related("plan")
    plan = revision.plan
    buyer = await buyer_organization()
    lines = await PlanLine.filter(revision=revision, expected_supplier=supplier).order_by("line_no")
    title_zh, title_en = split_name(plan.title)
    rows = []
    for n, line in enumerate(lines, start=1):
        zh, en = split_name(line.item_name)
        rows.append(PlanLineRow(line_no=n, item_code=line.item_code, name_zh=zh, name_en=en, plant=line.plant,
                                week=line.week, quantity=line.quantity, unit=line.unit,
                                expected_supplier=supplier.code))
    number = plan_copy_number(plan.number, revision.revision, supplier.code)
    context = PlanRevisionContext(
        letterhead=letterhead, verification=placeholder_verification(number), plan_title_zh=title_zh,
        plan_title_en=title_en, revision=revision.revision, buyer=party(buyer), supplier=party(supplier),
        published_at=revision.published_at or revision.created_at, horizon_start=plan.horizon_start,
        horizon_end=plan.horizon_end, lines=tuple(rows), note=revision.note,
    )
    recipient = await revision.recipients.filter(supplier=supplier).first()
    return Subject(DocumentKind.PRODUCTION_PLAN, "PlanRecipient", recipient.id if recipient else revision.id, number,
                   f"生产计划 / Production plan {number}", supplier.id), context


DOCUMENT_NUMBER_LENGTH = 32


def plan_copy_number(plan_number: str, revision: int, supplier_code: str) -> str:
    """A supplier's copy of a plan revision: `JH-2026-0001-R2-SUP-A`; a supplier code too long to fit the document
    number's 32 characters is shortened, with a digest of the whole code so two long codes never share a number."""
    number = f"{plan_number}-R{revision}-{supplier_code}"
    if len(number) <= DOCUMENT_NUMBER_LENGTH:
        return number
    digest = hashlib.sha256(supplier_code.encode()).hexdigest()[:4].upper()
    room = DOCUMENT_NUMBER_LENGTH - len(f"{plan_number}-R{revision}-") - len(digest) - 1
    return f"{plan_number}-R{revision}-{supplier_code[:max(room, 0)]}~{digest}"[-DOCUMENT_NUMBER_LENGTH:]
