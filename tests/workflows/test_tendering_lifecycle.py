"""Creating, publishing and cancelling tenders (no GraphQL)."""

from __future__ import annotations

import dataclasses
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest

from domain.clock import FrozenClock
from domain.enums import (
    AcknowledgementKind, AcknowledgementStatus, QualificationStatus, TenderStatus, TenderVisibility,
)
from domain.errors import DomainError
from domain.models import Acknowledgement, AuditEvent, Organization, Tender, TenderInvitation, TenderLine
from workflows import tendering
from tests.support import tenders as t

pytestmark = pytest.mark.usefixtures("demo")


async def test_create_makes_a_numbered_draft_with_its_lines_and_invitations() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    a, b = await t.new_supplier(category), await t.new_supplier(category)
    data = t.tender_input([a.org_id, b.org_id, a.org_id], clock.now() + timedelta(days=2), lines=3)
    tender, created = await tendering.create_tender(await t.staff(), data, clock=clock)
    assert created and tender.status is TenderStatus.DRAFT and tender.number.startswith(f"ZB-{clock.now().year}-")
    assert [line.quantity for line in await t.tender_lines(tender)] == [Decimal(100), Decimal(200), Decimal(300)]
    invited = await TenderInvitation.filter(tender=tender).values_list("supplier_id", flat=True)
    assert sorted(invited) == sorted([a.org_id, b.org_id])  # the duplicate is dropped
    assert await AuditEvent.filter(action="tender.create", subject_id=tender.id).exists()
    # Nothing reaches the suppliers before publication.
    assert not await Acknowledgement.filter(subject_id=tender.id).exists()
    assert await tendering.tender_evaluation(await t.staff(), tender.id) is None


async def test_create_with_an_idempotency_key_creates_once() -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    data = t.tender_input([supplier.org_id], clock.now() + timedelta(days=1))
    key = f"create-{uuid.uuid4()}"
    first, created = await tendering.create_tender(await t.staff(), data, clock=clock, idempotency_key=key)
    again, created_again = await tendering.create_tender(await t.staff(), data, clock=clock, idempotency_key=key)
    assert created and not created_again and again.id == first.id
    assert await Tender.filter(id=first.id).count() == 1
    other = dataclasses.replace(data, title="another title")
    with pytest.raises(DomainError) as refused:
        await tendering.create_tender(await t.staff(), other, clock=clock, idempotency_key=key)
    assert refused.value.code == "IDEMPOTENCY_KEY_REUSED"


def _line(**changes) -> tendering.TenderLineInput:  # noqa: ANN003
    return dataclasses.replace(tendering.TenderLineInput(item_code="X", item_name="零件 / part",
                                                         quantity=Decimal(1)), **changes)


CREATE_REFUSALS = [
    ("title empty", dict(title="  "), "title", "INVALID"),
    ("title too long", dict(title="x" * 201), "title", "INVALID"),
    ("closes in the past", dict(closes_in=timedelta(seconds=-1)), "closesAt", "CLOSES_AT_PASSED"),
    ("closes now", dict(closes_in=timedelta(0)), "closesAt", "CLOSES_AT_PASSED"),
    ("closes too far ahead", dict(closes_in=timedelta(days=400)), "closesAt", "INVALID"),
    ("opens after closing", dict(opens_in=timedelta(days=2)), "opensAt", "INVALID"),
    ("unknown currency", dict(currency="XXX"), "currency", "INVALID"),
    ("no lines", dict(lines=()), "lines", "NO_LINES"),
    ("too many lines", dict(lines=(_line(),) * 501), "lines", "INVALID"),
    ("zero quantity", dict(lines=(_line(), _line(quantity=Decimal(0)))), "lines[1].quantity", "QUANTITY_NOT_POSITIVE"),
    ("negative quantity", dict(lines=(_line(quantity=Decimal(-1)),)), "lines[0].quantity", "QUANTITY_NOT_POSITIVE"),
    ("quantity decimals", dict(lines=(_line(quantity=Decimal("1.0001")),)), "lines[0].quantity",
     "TOO_MANY_DECIMALS"),
    ("quantity too large", dict(lines=(_line(quantity=Decimal(10) ** 15),)), "lines[0].quantity", "TOO_LARGE"),
    ("quantity not a number", dict(lines=(_line(quantity=Decimal("NaN")),)), "lines[0].quantity", "INVALID"),
    ("item code empty", dict(lines=(_line(item_code=""),)), "lines[0].itemCode", "INVALID"),
    ("item name too long", dict(lines=(_line(item_name="名" * 201),)), "lines[0].itemName", "INVALID"),
    ("unit too long", dict(lines=(_line(unit="x" * 17),)), "lines[0].unit", "INVALID"),
    ("control characters", dict(lines=(_line(specification="a\x00b"),)), "lines[0].specification", "INVALID"),
    ("no invitees", dict(invite=()), "invitedSupplierIds", "NO_INVITEES"),
    ("unknown invitee", dict(invite=("unknown",)), "invitedSupplierIds[1]", "NOT_FOUND"),
    ("the buyer invited", dict(invite=("buyer",)), "invitedSupplierIds[1]", "NOT_FOUND"),
    ("applied invitee", dict(invite=("applied",)), "invitedSupplierIds[1]", "SUPPLIER_NOT_QUALIFIED"),
    ("suspended invitee", dict(invite=("suspended",)), "invitedSupplierIds[1]", "SUPPLIER_NOT_QUALIFIED"),
    ("open without category", dict(visibility=TenderVisibility.OPEN, invite=(), category=""), "category", "INVALID"),
    ("open naming suppliers", dict(visibility=TenderVisibility.OPEN, category="X"), "invitedSupplierIds", "INVALID"),
]


@pytest.mark.parametrize(("case", "changes", "field", "code"), CREATE_REFUSALS, ids=[c[0] for c in CREATE_REFUSALS])
async def test_create_refuses_bad_input_naming_the_field(case: str, changes: dict, field: str, code: str) -> None:
    clock = t.frozen_now()
    category = t.new_category()
    qualified = await t.new_supplier(category)
    others = {
        "unknown": uuid.uuid4(),
        "buyer": (await t.staff()).org_id,
        "applied": (await t.new_supplier(category, QualificationStatus.APPLIED)).org_id,
        "suspended": (await t.new_supplier(category, QualificationStatus.SUSPENDED)).org_id,
    }
    changes = dict(changes)
    names = changes.pop("invite", None)  # None: the qualified supplier only; (): nobody
    invite = [] if names == () else [qualified.org_id] + [others[name] for name in names or ()]
    closes_at = clock.now() + changes.pop("closes_in", timedelta(days=1))
    opens_in = changes.pop("opens_in", None)
    data = dataclasses.replace(t.tender_input(invite, closes_at), **changes,
                               opens_at=clock.now() + opens_in if opens_in else None)
    before = await Tender.all().count()
    with pytest.raises(DomainError) as refused:
        await tendering.create_tender(await t.staff(), data, clock=clock)
    assert (refused.value.field, refused.value.code) == (field, code), refused.value.message
    assert await Tender.all().count() == before


@pytest.mark.parametrize("who", ["accounting@buyer.example", "auditor@buyer.example", "supplier"])
async def test_only_procurement_and_admins_create_publish_and_cancel(who: str) -> None:
    clock = t.frozen_now()
    supplier = await t.new_supplier(t.new_category())
    actor = supplier if who == "supplier" else await t.staff(who)
    draft = await t.draft_tender(clock, [supplier])
    for attempt in (
        tendering.create_tender(actor, t.tender_input([supplier.org_id], clock.now() + timedelta(days=1)),
                                clock=clock),
        tendering.publish_tender(actor, draft.id, clock=clock),
        tendering.cancel_tender(actor, draft.id, "no", clock=clock),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt
        assert refused.value.code == "PERMISSION_DENIED"
    assert (await Tender.get(id=draft.id)).status is TenderStatus.DRAFT


async def test_publish_sends_each_invitee_an_acknowledgement_due_at_the_close() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    suppliers = [await t.new_supplier(category), await t.new_supplier(category)]
    tender = await t.published_tender(clock, suppliers)
    assert tender.status is TenderStatus.PUBLISHED and tender.published_at == clock.now()
    acks = await Acknowledgement.filter(subject_id=tender.id)
    assert sorted(ack.supplier_id for ack in acks) == sorted(s.org_id for s in suppliers)
    assert all(ack.kind is AcknowledgementKind.TENDER_BID and ack.status is AcknowledgementStatus.PENDING
               and ack.due_at == tender.closes_at and ack.subject_number == tender.number for ack in acks)
    assert await AuditEvent.filter(action="tender.publish", subject_id=tender.id).exists()


async def test_publishing_an_open_tender_invites_every_qualified_supplier_of_its_category() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    qualified = [await t.new_supplier(category), await t.new_supplier(category)]
    await t.new_supplier(category, QualificationStatus.SUSPENDED)
    await t.new_supplier(t.new_category())  # qualified, another category
    data = t.tender_input([], clock.now() + timedelta(days=1), visibility=TenderVisibility.OPEN, category=category)
    tender, _ = await tendering.create_tender(await t.staff(), data, clock=clock)
    assert not await TenderInvitation.filter(tender=tender).exists()
    await tendering.publish_tender(await t.staff(), tender.id, clock=clock)
    invited = await TenderInvitation.filter(tender=tender).values_list("supplier_id", flat=True)
    assert sorted(invited) == sorted(s.org_id for s in qualified)
    assert await Acknowledgement.filter(subject_id=tender.id).count() == 2


async def test_publishing_an_open_tender_of_a_category_nobody_serves_is_refused() -> None:
    clock = t.frozen_now()
    data = t.tender_input([], clock.now() + timedelta(days=1), visibility=TenderVisibility.OPEN,
                          category=t.new_category())
    tender, _ = await tendering.create_tender(await t.staff(), data, clock=clock)
    with pytest.raises(DomainError) as refused:
        await tendering.publish_tender(await t.staff(), tender.id, clock=clock)
    assert (refused.value.code, refused.value.field) == ("NO_INVITEES", "category")


async def _suspend(actor) -> None:  # noqa: ANN001
    await Organization.filter(id=actor.org_id).update(qualification_status=QualificationStatus.SUSPENDED)


PUBLISH_REFUSALS = ["no lines", "closing time passed", "invitee suspended since", "already published", "cancelled",
                    "unknown id"]


@pytest.mark.parametrize("case", PUBLISH_REFUSALS)
async def test_publish_validates(case: str) -> None:
    clock = t.frozen_now()
    category = t.new_category()
    supplier = await t.new_supplier(category)
    tender = await t.draft_tender(clock, [supplier])
    tender_id, when = tender.id, clock
    expected = {
        "no lines": ("NO_LINES", "lines"), "closing time passed": ("CLOSES_AT_PASSED", "closesAt"),
        "invitee suspended since": ("SUPPLIER_NOT_QUALIFIED", "id"), "already published": ("ILLEGAL_TRANSITION", "id"),
        "cancelled": ("ILLEGAL_TRANSITION", "id"), "unknown id": ("NOT_FOUND", "id"),
    }[case]
    if case == "no lines":
        await TenderLine.filter(tender_id=tender.id).delete()
    elif case == "closing time passed":
        when = FrozenClock(tender.closes_at)
    elif case == "invitee suspended since":
        await _suspend(supplier)
    elif case == "already published":
        await tendering.publish_tender(await t.staff(), tender.id, clock=clock)
    elif case == "cancelled":
        await tendering.cancel_tender(await t.staff(), tender.id, "需求取消 / no longer needed", clock=clock)
    else:
        tender_id = uuid.uuid4()
    status_before = (await Tender.get(id=tender.id)).status
    with pytest.raises(DomainError) as refused:
        await tendering.publish_tender(await t.staff(), tender_id, clock=when)
    assert (refused.value.code, refused.value.field) == expected, refused.value.message
    assert (await Tender.get(id=tender.id)).status == status_before


@pytest.mark.parametrize(("reason", "ok"), [("", False), ("   ", False), ("x" * 501, False), ("x" * 500, True),
                                            ("需求变更 / requirement changed", True)])
async def test_cancel_needs_a_reason_of_1_to_500_characters(reason: str, ok: bool) -> None:
    clock = t.frozen_now()
    tender = await t.draft_tender(clock, [await t.new_supplier(t.new_category())])
    if ok:
        cancelled = await tendering.cancel_tender(await t.staff(), tender.id, reason, clock=clock)
        assert cancelled.status is TenderStatus.CANCELLED and cancelled.cancel_reason == reason.strip()
        return
    with pytest.raises(DomainError) as refused:
        await tendering.cancel_tender(await t.staff(), tender.id, reason, clock=clock)
    assert refused.value.field == "reason"


async def test_cancelling_a_published_tender_cancels_the_pending_acknowledgements_and_stops_bids() -> None:
    clock = t.frozen_now()
    category = t.new_category()
    bidder, silent = await t.new_supplier(category), await t.new_supplier(category)
    tender = await t.published_tender(clock, [bidder, silent])
    await t.bid(tender, bidder, ["1.00", "2.00"], clock)
    await tendering.cancel_tender(await t.staff(), tender.id, "项目取消 / project cancelled", clock=clock)
    statuses = {ack.supplier_id: ack.status for ack in await Acknowledgement.filter(subject_id=tender.id)}
    assert statuses == {bidder.org_id: AcknowledgementStatus.ACKNOWLEDGED,
                        silent.org_id: AcknowledgementStatus.CANCELLED}
    with pytest.raises(DomainError) as refused:
        await t.bid(tender, silent, ["1.00", "2.00"], clock)
    assert refused.value.code == "TENDER_CANCELLED"
    # A cancelled tender's bids stay sealed for good.
    assert await tendering.tender_evaluation(await t.staff(), tender.id) is None
    with pytest.raises(DomainError) as again:
        await tendering.cancel_tender(await t.staff(), tender.id, "again", clock=clock)
    assert again.value.code == "ILLEGAL_TRANSITION"
