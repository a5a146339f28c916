"""`Organization.responsiveness` over GraphQL: buyer staff see every supplier's, a supplier its own and never another's,
and a page of suppliers costs the same few statements whatever its size."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from domain.actors import Actor
from domain.enums import AcknowledgementKind as AK, AcknowledgementStatus as AS
from domain.models import Acknowledgement, User
from tests.conftest import Api, count_sql
from tests.support.procurement import PROCUREMENT, SUPPLIER_A
from tests.support.tenders import bearer_token, new_supplier

FIELDS = "sent answered answeredOnTime decided onTimeShare medianHoursToAnswer overdueNow windowDays"
SUPPLIER = f"query($id: ID!, $days: Int!) {{ supplier(id: $id) {{ code responsiveness(days: $days) {{ {FIELDS} }} }} }}"
PAGE = "query($first: Int!) { suppliers(first: $first) { edges { node { code responsiveness { %s } } } } }" % FIELDS
VIEWER_ORG = "{ viewer { organization { kind responsiveness { sent } } } }"


async def answered(supplier: Actor, hours: float, late: bool = False) -> None:
    now = datetime.now(UTC)
    sent = now - timedelta(days=3)
    await Acknowledgement.create(
        kind=AK.PURCHASE_ORDER, subject_type="PurchaseOrder", subject_id=uuid.uuid4(), subject_number="PO-TEST",
        supplier_id=supplier.org_id, owner_id=(await User.get(email=PROCUREMENT)).id, status=AS.ACKNOWLEDGED,
        created_at=sent, due_at=sent + timedelta(hours=hours - 1 if late else hours + 1),
        answered_at=sent + timedelta(hours=hours))


async def test_staff_see_a_supplier_s_record(api: Api, token_for) -> None:  # noqa: ANN001
    supplier = await new_supplier("FASTENERS")
    await answered(supplier, 6)
    await answered(supplier, 10, late=True)
    await answered(supplier, 30)
    data = await api.query(SUPPLIER, {"id": str(supplier.org_id), "days": 30}, token=await token_for(PROCUREMENT))
    assert data["supplier"]["responsiveness"] == {
        "sent": 3, "answered": 3, "answeredOnTime": 2, "decided": 3, "onTimeShare": pytest.approx(2 / 3),
        "medianHoursToAnswer": 10.0, "overdueNow": 0, "windowDays": 30}


async def test_a_supplier_sees_its_own_and_another_supplier_nothing(api: Api, token_for) -> None:  # noqa: ANN001
    supplier = await new_supplier("FASTENERS")
    await answered(supplier, 6)
    token = await bearer_token(supplier)
    data = await api.query(SUPPLIER, {"id": str(supplier.org_id), "days": 180}, token=token)
    assert data["supplier"]["responsiveness"]["sent"] == 1
    assert (await api.query(VIEWER_ORG, token=token))["viewer"]["organization"] == {"kind": "SUPPLIER",
                                                                             "responsiveness": {"sent": 1}}
    # To another supplier it is not even visible.
    other = await api.query(SUPPLIER, {"id": str(supplier.org_id), "days": 180}, token=await token_for(SUPPLIER_A))
    assert other["supplier"] is None


async def test_the_buyer_has_no_responsiveness(api: Api, token_for) -> None:  # noqa: ANN001
    data = await api.query(VIEWER_ORG, token=await token_for(PROCUREMENT))
    assert data["viewer"]["organization"] == {"kind": "BUYER", "responsiveness": None}


@pytest.mark.parametrize("days", [0, 731])
async def test_the_window_is_checked(api: Api, token_for, days: int) -> None:  # noqa: ANN001
    supplier = await new_supplier("FASTENERS")
    body = (await api.post(SUPPLIER, {"id": str(supplier.org_id), "days": days},
                           token=await token_for(PROCUREMENT))).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_page_of_suppliers_costs_the_same_whatever_its_size(api: Api, token_for) -> None:  # noqa: ANN001
    for _ in range(6):
        await answered(await new_supplier("FASTENERS"), 5)
    token = await token_for(PROCUREMENT)
    counts = []
    for first in (2, 6):
        with count_sql() as sql:
            data = await api.query(PAGE, {"first": first}, token=token)
        assert len(data["suppliers"]["edges"]) == first
        assert all(edge["node"]["responsiveness"] is not None for edge in data["suppliers"]["edges"])
        counts.append(sql.count)
    assert counts[0] == counts[1], counts
