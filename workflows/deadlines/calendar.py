"""The buyer's working calendar: Monday to Friday, except the holidays and adjusted working days (调休) in CalendarDay.

Due times in working days count in the buyer's time zone: "3 working days after Friday 16:00" is Wednesday 16:00 in
Shanghai, and a national holiday in between pushes it further.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.models import CalendarDay

BUYER_TIME_ZONE = ZoneInfo("Asia/Shanghai")
MAX_WORKING_DAYS = 366


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


async def load_calendar(start: date, end: date, connection=None) -> WorkingCalendar:  # noqa: ANN001
    """The calendar's exceptions between `start` and `end` (inclusive)."""
    rows = await CalendarDay.filter(day__gte=start, day__lte=end).using_db(connection).values("day", "is_working_day")
    return WorkingCalendar({row["day"]: row["is_working_day"] for row in rows})
