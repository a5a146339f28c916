"""Builders for the contract, order and receipt tests: actors of the demo world, and fresh contracts and orders of
their own (tests never change the demo's records).

`UnsignedDocuments` stands in for the DocumentService where a test is about the workflow, not the PDF: it records
the document and its version as `issue` does (so acknowledgements link to a document) without rendering or signing.
Tests about the signed PDF use the session's real `service`.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.actors import Actor
from domain.clock import FrozenClock
from domain.enums import AcknowledgementStatus, BidStatus, OrgKind, Role, TenderStatus
from domain.models import (
    Acknowledgement, Award, Bid, BidLine, Contract, Organization, PurchaseOrder, Tender,
    TenderLine, User,
)
from domain.money import round_amount
from workflows import contracting, ordering
from workflows.deadlines.acknowledgements import acknowledge
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.documents.unsigned import UnsignedDocuments, unsigned_documents  # noqa: F401 - tests import both from here
from workflows.numbering import reserve_numbers

from tests.conftest import Api, client_for

PROCUREMENT = "procurement@buyer.example"
ACCOUNTING = "accounting@buyer.example"
ADMIN = "admin@buyer.example"
AUDITOR = "auditor@buyer.example"
SUPPLIER_A = "sales@supplier-a.example"
SUPPLIER_B = "sales@supplier-b.example"

# Demo catalogue items of supplier A (fasteners, sheet metal).
BOLT, NUT, BRACKET = "FB-M8-30", "FN-M8", "SM-BRK-01"


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def today() -> date:
    """Today in the buyer's time zone, as the workflows count days (UTC's date is a day behind from 16:00 UTC)."""
    return now().astimezone(BUYER_TIME_ZONE).date()


def clock() -> FrozenClock:
    return FrozenClock(now())


async def actor(email: str) -> Actor:
    user = await User.get(email=email).prefetch_related("organization")
    return Actor(user.id, user.organization_id, OrgKind(user.organization.kind),
                 frozenset(Role(role) for role in user.roles), user.email)


async def supplier(code: str) -> Organization:
    return await Organization.get(code=code)


def contract_lines() -> tuple[contracting.ContractLineInput, ...]:
    return (
        contracting.ContractLineInput(BOLT, "六角螺栓 M8×30 / Hex bolt M8x30", Decimal(0), Decimal("0.3500")),
        contracting.ContractLineInput(NUT, "六角螺母 M8 / Hex nut M8", Decimal(0), Decimal("0.1200")),
        contracting.ContractLineInput(BRACKET, "安装支架 / Mounting bracket", Decimal(100), Decimal("6.8000")),
    )


async def open_acknowledgement_of(subject: Contract | PurchaseOrder) -> Acknowledgement:
    return await Acknowledgement.get(subject_id=subject.id, status=AcknowledgementStatus.PENDING)


async def issued_contract(documents, supplier_code: str = "SUP-A", **changes) -> Contract:  # noqa: ANN001
    start = today()
    data = contracting.ContractInput(**{
        "valid_from": start - timedelta(days=1), "valid_to": start + timedelta(days=365),
        "title": "测试框架协议 / Test framework agreement", "supplier_id": (await supplier(supplier_code)).id,
        "lines": contract_lines(), **changes})
    return await contracting.issue_contract(await actor(PROCUREMENT), data, clock=clock(), documents=documents)


async def signed_contract(documents, supplier_code: str = "SUP-A", **changes) -> Contract:  # noqa: ANN001
    """A contract issued and countersigned (without a PDF unless `documents` signs)."""
    contract = await issued_contract(documents, supplier_code, **changes)
    ack = await open_acknowledgement_of(contract)
    signer = await actor(SUPPLIER_A if supplier_code == "SUP-A" else SUPPLIER_B)
    await acknowledge(signer, ack.id, accept=True, clock=clock(), documents=documents)
    return await Contract.get(id=contract.id)


def order_lines(*quantities: int | str, item: str = BRACKET) -> tuple[ordering.OrderLineInput, ...]:
    delivery = today() + timedelta(days=14)
    return tuple(ordering.OrderLineInput(item, Decimal(q), delivery) for q in quantities)


async def issued_order(documents, *, contract: Contract | None = None, quantities=(100,),  # noqa: ANN001
                       **changes) -> PurchaseOrder:
    """An ISSUED order from supplier A: under `contract` (brackets at its price), else standalone."""
    lines = order_lines(*quantities) if contract else tuple(
        ordering.OrderLineInput(BRACKET, Decimal(q), today() + timedelta(days=14), Decimal("6.8"),
                                "安装支架 / Mounting bracket") for q in quantities)
    data = ordering.OrderInput(**{"lines": lines, "contract_id": contract.id if contract else None,
                                  "supplier_id": None if contract else (await supplier("SUP-A")).id, **changes})
    return await ordering.issue_purchase_order(await actor(PROCUREMENT), data, clock=clock(), documents=documents)


async def confirmed_order(documents, **kwargs) -> PurchaseOrder:  # noqa: ANN001
    order = await issued_order(documents, **kwargs)
    ack = await open_acknowledgement_of(order)
    await acknowledge(await actor(SUPPLIER_A), ack.id, accept=True, clock=clock(), documents=documents)
    return await PurchaseOrder.get(id=order.id)


def days_from_today(days: int) -> date:
    return today() + timedelta(days=days)


async def awarded_tender(split: bool = True, whole: bool = False) -> tuple[Tender, list[Award]]:
    """An AWARDED tender of two lines, seeded as records (the tender workflows are not under test here): line 1 to
    supplier A and line 2 to supplier B (`split`), or both to A; `whole`: one whole-tender award to A."""
    owner = await User.get(email=PROCUREMENT)
    a, b = await supplier("SUP-A"), await supplier("SUP-B")
    [number] = await reserve_numbers(None, "tender", now().year)
    tender = await Tender.create(number=number, title="测试招标 / Test tender", closes_at=now() - timedelta(days=2),
                                 owner=owner, status=TenderStatus.AWARDED, closed_at=now() - timedelta(days=2),
                                 awarded_at=now() - timedelta(days=1))
    lines = [await TenderLine.create(tender=tender, line_no=n, item_code=code, item_name=name, quantity=quantity)
             for n, (code, name, quantity) in enumerate(
                 [(BOLT, "六角螺栓 M8×30 / Hex bolt M8x30", Decimal(5000)),
                  (BRACKET, "安装支架 / Mounting bracket", Decimal(200))], start=1)]
    bids = {}
    for org, prices in ((a, (Decimal("0.3300"), Decimal("6.5000"))), (b, (Decimal("0.3400"), Decimal("6.2000")))):
        bid = await Bid.create(tender=tender, supplier=org, status=BidStatus.SUBMITTED, submitted_at=now())
        for line, price in zip(lines, prices, strict=True):
            await BidLine.create(bid=bid, tender_line=line, unit_price=price, quantity=line.quantity,
                                 amount=round_amount(price * line.quantity))
        bids[org.code] = (bid, prices)
    awards = []
    if whole:
        bid, prices = bids["SUP-A"]
        total = sum((round_amount(p * line.quantity) for p, line in zip(prices, lines, strict=True)), Decimal(0))
        awards.append(await Award.create(tender=tender, supplier=a, bid=bid, tender_line=None, quantity=Decimal(1),
                                         unit_price=total, amount=total, awarded_by=owner))
        return tender, awards
    for index, line in enumerate(lines):
        code = "SUP-B" if split and index == 1 else "SUP-A"
        bid, prices = bids[code]
        awards.append(await Award.create(tender=tender, supplier_id=bid.supplier_id, bid=bid,
                                         tender_line=line, quantity=line.quantity, unit_price=prices[index],
                                         amount=round_amount(prices[index] * line.quantity), awarded_by=owner))
    return tender, awards


# -- GraphQL ---------------------------------------------------------------------------------------------------------

@pytest.fixture
async def signing_api(settings, demo, service) -> AsyncIterator[Api]:  # noqa: ANN001
    """An API client whose mutations can sign (the session's DocumentService); `api` cannot (no master key)."""
    with client_for(settings, service=service, address=f"198.51.100.{uuid.uuid4().int % 250 + 1}") as client:
        async with client.client:
            yield client


async def mutate(api: Api, token: str, document: str, variables: dict) -> dict:
    """The payload of the document's single mutation field."""
    data = await api.query(document, variables, token=token)
    [payload] = data.values()
    return payload


def codes(payload: dict) -> list[tuple[str, str | None]]:
    return [(error["code"], error["field"]) for error in payload["errors"]]
