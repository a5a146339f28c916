"""The buyer's working calendar: Monday to Friday, except public holidays and adjusted working days (调休).

Where the exceptions come from, in order (a later source wins for the same day):
1. the `holidays` package (maintained upstream from the State Council's yearly notices): China's public holidays, and
   the weekend days worked in exchange for a longer holiday (its `weekend_workdays`);
2. CalendarDay rows, which admins edit (`workflows.deadlines.calendar_admin`): a factory shutdown, a holiday the
   package does not know yet, or a correction. A row always wins over the package.

Due times in working days count in the buyer's time zone: "3 working days after Friday 16:00" is Wednesday 16:00 in
Shanghai, and a national holiday in between pushes it further. A due time is computed once, when an acknowledgement
is opened: changing the calendar later moves the due times of acknowledgements opened afterwards, not earlier ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from domain.models import CalendarDay

BUYER_TIME_ZONE = ZoneInfo("Asia/Shanghai")
HOLIDAY_COUNTRY = "CN"
MAX_WORKING_DAYS = 366


class CalendarSource(StrEnum):
    """Where an exception to the Monday-to-Friday week comes from."""

    HOLIDAYS_PACKAGE = "HOLIDAYS_PACKAGE"
    ADMIN = "ADMIN"


@dataclass(frozen=True)
class CalendarException:
    """A day that is not what its weekday says (or a named holiday), and why."""

    day: date
    is_working_day: bool
    note: str
    source: CalendarSource


@dataclass(frozen=True)
class WorkingCalendar:
    """Exceptions to the Monday-to-Friday week: day -> whether it is a working day."""

    exceptions: dict[date, bool]
    zone: ZoneInfo = BUYER_TIME_ZONE

    def is_working_day(self, day: date) -> bool:
        return self.exceptions.get(day, day.weekday() < 5)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """`start` moved forward by `days` working days, at the same local time of day (in the buyer's zone)."""
        if not 0 <= days <= MAX_WORKING_DAYS:
            raise ValueError(f"working days must be between 0 and {MAX_WORKING_DAYS}")
        local = start.astimezone(self.zone)
        day, remaining = local.date(), days
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return datetime.combine(day, local.timetz()).astimezone(start.tzinfo)


@lru_cache(maxsize=64)
def _package_year(year: int) -> tuple[tuple[date, bool, str], ...]:
    """The package's exceptions listed under `year`: (day, is working day, bilingual name). Its data only changes
    with its version, so each year is built once per process."""
    chinese = holidays.country_holidays(HOLIDAY_COUNTRY, years=year, language="zh_CN")
    english = holidays.country_holidays(HOLIDAY_COUNTRY, years=year, language="en_US")
    days = [(day, False, f"{name} / {english.get(day, name)}") for day, name in chinese.items()]
    # A year's notice can name a working day of the year before (e.g. Saturday 29 December for New Year).
    days += [(day, True, "调休上班 / Adjusted working day") for day in chinese.weekend_workdays]
    return tuple(sorted(days))


def package_exceptions(start: date, end: date) -> list[CalendarException]:
    """The `holidays` package's holidays and adjusted working days between `start` and `end` (inclusive)."""
    found: dict[date, CalendarException] = {}
    for year in range(start.year, end.year + 2):  # +1: next year's notice may adjust a day of this one
        for day, working, note in _package_year(year):
            if start <= day <= end and day not in found:
                found[day] = CalendarException(day, working, note, CalendarSource.HOLIDAYS_PACKAGE)
    return [found[day] for day in sorted(found)]


async def calendar_exceptions(start: date, end: date, connection=None) -> list[CalendarException]:  # noqa: ANN001
    """Every exception in force between `start` and `end` (inclusive), by day: the admins' rows over the package's."""
    found = {exception.day: exception for exception in package_exceptions(start, end)}
    rows = await CalendarDay.filter(day__gte=start, day__lte=end).using_db(connection).values(
        "day", "is_working_day", "note")
    for row in rows:
        found[row["day"]] = CalendarException(row["day"], row["is_working_day"], row["note"], CalendarSource.ADMIN)
    return [found[day] for day in sorted(found)]


async def load_calendar(start: date, end: date, connection=None) -> WorkingCalendar:  # noqa: ANN001
    """The calendar's exceptions between `start` and `end` (inclusive)."""
    exceptions = await calendar_exceptions(start, end, connection)
    return WorkingCalendar({exception.day: exception.is_working_day for exception in exceptions})
