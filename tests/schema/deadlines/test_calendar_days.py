"""`calendarDays`, `setCalendarDay` and `deleteCalendarDay` over GraphQL: the package's days with admins' on top."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from domain.models import AuditEvent, CalendarDay
from tests.conftest import Api
from tests.support.procurement import ADMIN, PROCUREMENT, SUPPLIER_A, codes, mutate

DAYS = "query($from: Date!, $to: Date!) { calendarDays(from: $from, to: $to) { day isWorkingDay note source } }"
SET = """mutation($day: Date!, $working: Boolean!, $note: String!) {
  setCalendarDay(day: $day, isWorkingDay: $working, note: $note) {
    calendarDay { day isWorkingDay note source } errors { code message field } } }"""
DELETE = "mutation($day: Date!) { deleteCalendarDay(day: $day) { day errors { code message field } } }"


@pytest.fixture
async def cleanup() -> AsyncIterator[list[str]]:
    days: list[str] = []
    yield days
    await CalendarDay.filter(day__in=days).delete()


async def test_staff_see_the_national_day_week_and_the_worked_weekend(api: Api, token_for) -> None:  # noqa: ANN001
    data = await api.query(DAYS, {"from": "2026-09-15", "to": "2026-10-15"}, token=await token_for(PROCUREMENT))
    days = {d["day"]: d for d in data["calendarDays"]}
    assert days["2026-10-01"]["isWorkingDay"] is False and days["2026-10-01"]["source"] == "HOLIDAYS_PACKAGE"
    assert days["2026-09-20"]["isWorkingDay"] is True and days["2026-10-10"]["isWorkingDay"] is True
    assert "2026-10-08" not in days
    supplier = await api.query(DAYS, {"from": "2026-09-15", "to": "2026-10-15"}, token=await token_for(SUPPLIER_A))
    assert supplier["calendarDays"] == []


@pytest.mark.parametrize(("start", "end"), [("2026-10-02", "2026-10-01"), ("2026-01-01", "2028-01-02")])
async def test_the_range_is_checked(api: Api, token_for, start: str, end: str) -> None:  # noqa: ANN001
    body = (await api.post(DAYS, {"from": start, "to": end}, token=await token_for(PROCUREMENT))).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_admin_overrides_a_day_then_deletes_the_override(api: Api, token_for,  # noqa: ANN001
                                                                  cleanup: list[str]) -> None:
    admin = await token_for(ADMIN)
    cleanup.append("2026-10-10")
    payload = await mutate(api, admin, SET, {"day": "2026-10-10", "working": False, "note": "盘点 / Stocktake"})
    assert payload == {"calendarDay": {"day": "2026-10-10", "isWorkingDay": False, "note": "盘点 / Stocktake",
                                       "source": "ADMIN"}, "errors": []}
    days = {d["day"]: d for d in (await api.query(DAYS, {"from": "2026-10-01", "to": "2026-10-31"},
                                                   token=admin))["calendarDays"]}
    assert days["2026-10-10"]["source"] == "ADMIN" and days["2026-10-10"]["isWorkingDay"] is False

    assert await mutate(api, admin, DELETE, {"day": "2026-10-10"}) == {"day": "2026-10-10", "errors": []}
    days = {d["day"]: d for d in (await api.query(DAYS, {"from": "2026-10-01", "to": "2026-10-31"},
                                                   token=admin))["calendarDays"]}
    assert days["2026-10-10"]["source"] == "HOLIDAYS_PACKAGE" and days["2026-10-10"]["isWorkingDay"] is True
    actions = [e.action for e in await AuditEvent.filter(subject_type="CalendarDay").order_by("-seq").limit(2)]
    assert actions == ["calendar_day.deleted", "calendar_day.set"]


async def test_refusals(api: Api, token_for) -> None:  # noqa: ANN001
    admin = await token_for(ADMIN)
    assert codes(await mutate(api, admin, DELETE, {"day": "2026-10-09"})) == [("NOT_FOUND", "day")]
    assert codes(await mutate(api, admin, SET, {"day": "2026-10-09", "working": False, "note": "x" * 101})) \
        == [("INVALID", "note")]
    assert codes(await mutate(api, admin, SET, {"day": "1990-10-09", "working": False, "note": ""})) \
        == [("INVALID", "day")]
    for email in (PROCUREMENT, SUPPLIER_A):
        token = await token_for(email)
        assert codes(await mutate(api, token, SET, {"day": "2026-10-09", "working": False, "note": ""})) \
            == [("PERMISSION_DENIED", None)]
        assert codes(await mutate(api, token, DELETE, {"day": "2026-10-09"})) == [("PERMISSION_DENIED", None)]
    assert not await CalendarDay.filter(day="2026-10-09").exists()
