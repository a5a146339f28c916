"""Builders for the tender tests (workflows and GraphQL): staff and supplier actors, suppliers of a category of their
own (so open tenders invite only them), tenders in each state, and bids. Nothing here changes a demo record."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from domain.actors import Actor
from domain.clock import FrozenClock
from domain.enums import OrgKind, QualificationStatus, Role, TenderVisibility, TokenKind
from domain.models import AuthToken, Organization, Tender, TenderLine, User
from workflows import tendering
from workflows.identity import TOKEN_PREFIX, actor_for, token_digest

PROCUREMENT = "procurement@buyer.example"


def frozen_now() -> FrozenClock:
    """A clock at the present second: tenders it creates close within hours, long before the demo's (days ahead)."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


async def staff(email: str = PROCUREMENT) -> Actor:
    return actor_for(await User.get(email=email).select_related("organization"))


async def supplier_of(code: str) -> Actor:
    user = await User.filter(organization__code=code).order_by("created_at").select_related("organization").first()
    return actor_for(user)


def new_category() -> str:
    return f"TEST-{uuid.uuid4().hex[:10]}"


async def new_supplier(category: str, status: QualificationStatus = QualificationStatus.QUALIFIED, *,
                       code: str | None = None) -> Actor:
    """A supplier organisation of its own (a new random code unless `code` is given) with one admin user."""
    code = code or f"T{secrets.token_hex(3).upper()}"
    org = await Organization.create(kind=OrgKind.SUPPLIER, code=code, name_zh=f"测试供应商 {code}",
                                    name_en=f"Test supplier {code}", qualification_status=status,
                                    categories=[category])
    user = await User.create(email=f"{code.lower()}@test-supplier.example", display_name=f"Tester {code}",
                             organization=org, roles=[Role.SUPPLIER_ADMIN.value])
    user.organization = org
    return actor_for(user)


async def bearer_token(actor: Actor) -> str:
    """A session token for `actor`'s user, without the (deliberately slow) password login."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    await AuthToken.create(user_id=actor.user_id, kind=TokenKind.SESSION, token_hash=token_digest(secret),
                           expires_at=datetime.now(UTC) + timedelta(hours=2))
    return secret


def tender_input(supplier_ids: Sequence[uuid.UUID], closes_at: datetime, *, lines: int = 2,
                 visibility: TenderVisibility = TenderVisibility.INVITED, category: str = "",
                 opens_at: datetime | None = None) -> tendering.TenderInput:
    return tendering.TenderInput(
        title="测试招标 / Test tender", closes_at=closes_at, visibility=visibility,
        invited_supplier_ids=tuple(supplier_ids), category=category, opens_at=opens_at,
        lines=tuple(tendering.TenderLineInput(item_code=f"IT-{n}", item_name=f"零件 {n} / Part {n}",
                                              quantity=Decimal(100 * n)) for n in range(1, lines + 1)),
    )


async def draft_tender(clock: FrozenClock, suppliers: Sequence[Actor], *, closes_in: timedelta = timedelta(hours=1),
                       lines: int = 2, owner: Actor | None = None) -> Tender:
    tender, _ = await tendering.create_tender(
        owner or await staff(), tender_input([s.org_id for s in suppliers], clock.now() + closes_in, lines=lines),
        clock=clock)
    return tender


async def published_tender(clock: FrozenClock, suppliers: Sequence[Actor], **kwargs) -> Tender:  # noqa: ANN003
    tender = await draft_tender(clock, suppliers, **kwargs)
    return await tendering.publish_tender(await staff(), tender.id, clock=clock)


async def tender_lines(tender: Tender) -> list[TenderLine]:
    return await TenderLine.filter(tender_id=tender.id).order_by("line_no")


async def bid(tender: Tender, supplier: Actor, prices: Sequence[str | None], clock: FrozenClock,
              **kwargs) -> tendering.BidReceipt:  # noqa: ANN003
    """`supplier` bids `prices` on the tender's lines in order (None: that line is not priced)."""
    lines = [tendering.BidLineInput(tender_line_id=line.id, unit_price=Decimal(price))
             for line, price in zip(await tender_lines(tender), prices, strict=False) if price is not None]
    return await tendering.submit_bid(supplier, tender.id, lines, clock=clock, **kwargs)


async def closed_tender(clock: FrozenClock, bids: dict[int, Sequence[str | None]], suppliers: Sequence[Actor],
                        **kwargs) -> Tender:  # noqa: ANN003
    """A tender on which suppliers[i] bid bids[i], closed by procurement at its closing time (no document)."""
    tender = await published_tender(clock, suppliers, **kwargs)
    for index, prices in bids.items():
        await bid(tender, suppliers[index], prices, clock)
    at_close = FrozenClock(tender.closes_at)
    await tendering.close_tender(await staff(), tender.id, clock=at_close, service=None)
    return await Tender.get(id=tender.id)
