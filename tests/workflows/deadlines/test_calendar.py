"""The working calendar: China's holidays and adjusted working days (调休) from the `holidays` package, with admins'
CalendarDay rows on top; due times in working days move with both."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, datetime

import pytest

from domain.errors import DomainError
from domain.models import AuditEvent, CalendarDay
from tests.support import procurement as p
from workflows.deadlines import calendar_admin
from workflows.deadlines.calendar import (
    BUYER_TIME_ZONE, CalendarSource, WorkingCalendar, calendar_exceptions, package_exceptions,
)
from workflows.deadlines.policies import Policy, due_time

pytestmark = pytest.mark.usefixtures("demo")

# The 2026 National Day and Mid-Autumn holiday: 1-7 October off, Sunday 20 September and Saturday 10 October worked.
NATIONAL_DAY_2026 = [date(2026, 10, day) for day in range(1, 8)]
WORKED_WEEKEND_2026 = [date(2026, 9, 20), date(2026, 10, 10)]


def shanghai(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BUYER_TIME_ZONE)


@pytest.fixture
async def overrides() -> AsyncIterator[list[date]]:
    """Days the test overrides; their rows are removed afterwards, so other tests see the package's calendar."""
    days: list[date] = []
    yield days
    await CalendarDay.filter(day__in=days).delete()


def test_the_package_knows_the_2026_national_day_week_and_its_worked_weekend_days() -> None:
    found = {e.day: e for e in package_exceptions(date(2026, 9, 1), date(2026, 10, 31))}
    assert all(not found[day].is_working_day for day in NATIONAL_DAY_2026 if day.weekday() < 5)
    assert all(found[day].is_working_day for day in WORKED_WEEKEND_2026)
    assert date(2026, 10, 8) not in found  # back to work on Thursday
    assert "国庆节" in found[date(2026, 10, 1)].note and "National Day" in found[date(2026, 10, 1)].note
    assert {e.source for e in found.values()} == {CalendarSource.HOLIDAYS_PACKAGE}


def test_the_package_knows_2025_too() -> None:
    """1-8 October 2025 off; Sunday 28 September and Saturday 11 October worked."""
    calendar = WorkingCalendar({e.day: e.is_working_day for e in package_exceptions(date(2025, 9, 1),
                                                                                     date(2025, 10, 31))})
    assert [calendar.is_working_day(date(2025, 10, day)) for day in range(1, 10)] == [False] * 8 + [True]
    assert calendar.is_working_day(date(2025, 9, 28)) and calendar.is_working_day(date(2025, 10, 11))


@pytest.mark.parametrize(("sent", "days", "due"), [
    (shanghai(2026, 9, 29), 1, shanghai(2026, 9, 30)),  # the day before the holiday
    (shanghai(2026, 9, 29), 2, shanghai(2026, 10, 8)),  # over the whole National Day week
    (shanghai(2026, 9, 29), 3, shanghai(2026, 10, 9)),
    (shanghai(2026, 9, 29), 4, shanghai(2026, 10, 10)),  # a worked Saturday
    (shanghai(2026, 9, 30, 16), 1, shanghai(2026, 10, 8, 16)),
    (shanghai(2026, 9, 18), 1, shanghai(2026, 9, 20)),  # a worked Sunday
    (shanghai(2026, 9, 19), 1, shanghai(2026, 9, 20)),  # sent on the Saturday off before it
    (shanghai(2026, 11, 20), 1, shanghai(2026, 11, 23)),  # an ordinary weekend
])
async def test_working_days_skip_holidays_and_count_adjusted_working_days(sent: datetime, days: int,
                                                                         due: datetime) -> None:
    assert await due_time(Policy(due_working_days=days), sent) == due


async def test_an_admin_override_wins_over_the_package(overrides: list[date]) -> None:
    admin = await p.actor(p.ADMIN)
    overrides += [date(2026, 10, 10), date(2026, 10, 6)]
    await calendar_admin.set_calendar_day(admin, date(2026, 10, 10), is_working_day=False, note="盘点 / Stocktake",
                                          clock=p.clock())
    assert await due_time(Policy(due_working_days=4), shanghai(2026, 9, 29)) == shanghai(2026, 10, 12)
    await calendar_admin.set_calendar_day(admin, date(2026, 10, 6), is_working_day=True, clock=p.clock())
    assert await due_time(Policy(due_working_days=2), shanghai(2026, 9, 29)) == shanghai(2026, 10, 6)
    days = {e.day: e for e in await calendar_exceptions(date(2026, 10, 1), date(2026, 10, 31))}
    assert (days[date(2026, 10, 10)].source, days[date(2026, 10, 10)].is_working_day) == (CalendarSource.ADMIN, False)
    assert days[date(2026, 10, 10)].note == "盘点 / Stocktake"
    assert days[date(2026, 10, 6)].source is CalendarSource.ADMIN and days[date(2026, 10, 6)].is_working_day
    assert days[date(2026, 10, 7)].source is CalendarSource.HOLIDAYS_PACKAGE

    await calendar_admin.delete_calendar_day(admin, date(2026, 10, 10), clock=p.clock())  # worked again
    await calendar_admin.delete_calendar_day(admin, date(2026, 10, 6), clock=p.clock())  # a holiday again
    assert await due_time(Policy(due_working_days=4), shanghai(2026, 9, 29)) == shanghai(2026, 10, 10)


async def test_each_change_is_audited_with_what_it_replaced(overrides: list[date]) -> None:
    admin = await p.actor(p.ADMIN)
    day = date(2026, 8, 3)
    overrides.append(day)
    await calendar_admin.set_calendar_day(admin, day, is_working_day=False, note="停电 / Power cut", clock=p.clock())
    await calendar_admin.set_calendar_day(admin, day, is_working_day=False, note="检修 / Maintenance", clock=p.clock())
    await calendar_admin.delete_calendar_day(admin, day, clock=p.clock())
    events = [e for e in await AuditEvent.filter(subject_type="CalendarDay").order_by("seq")
              if e.data.get("day") == day.isoformat()]
    assert [e.action for e in events] == ["calendar_day.set", "calendar_day.set", "calendar_day.deleted"]
    assert events[0].data["before"] is None
    assert events[1].data["before"] == {"is_working_day": False, "note": "停电 / Power cut"}
    assert all(e.actor_user_id == admin.user_id for e in events)
    assert not await CalendarDay.filter(day=day).exists()


@pytest.mark.parametrize(("email", "day", "note", "code", "field"), [
    (p.PROCUREMENT, date(2026, 8, 4), "", "PERMISSION_DENIED", None),
    (p.SUPPLIER_A, date(2026, 8, 4), "", "PERMISSION_DENIED", None),
    (p.ADMIN, date(1999, 12, 31), "", "INVALID", "day"),
    (p.ADMIN, date(2101, 1, 1), "", "INVALID", "day"),
    (p.ADMIN, date(2026, 8, 4), "x" * 101, "INVALID", "note"),
    (p.ADMIN, date(2026, 8, 4), "bad\x00note", "INVALID", "note"),
])
async def test_refusals_change_nothing(email: str, day: date, note: str, code: str, field: str | None) -> None:
    with pytest.raises(DomainError) as refused:
        await calendar_admin.set_calendar_day(await p.actor(email), day, is_working_day=True, note=note,
                                              clock=p.clock())
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not await CalendarDay.filter(day=day).exists()


async def test_deleting_a_day_without_an_override_is_not_found() -> None:
    with pytest.raises(DomainError) as refused:
        await calendar_admin.delete_calendar_day(await p.actor(p.ADMIN), date(2026, 10, 1), clock=p.clock())
    assert (refused.value.code, refused.value.field) == ("NOT_FOUND", "day")
