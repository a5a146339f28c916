"""`setCalendarDay` and `deleteCalendarDay`: an admin overrides, or stops overriding, whether a day is worked."""

from __future__ import annotations

from datetime import date

import strawberry

from schema.context import Info
from schema.deadlines.types import CalendarDay
from schema.errors import UserError, attempt
from workflows.deadlines import calendar, calendar_admin


@strawberry.type
class SetCalendarDayPayload:
    calendar_day: CalendarDay | None = None
    errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class DeleteCalendarDayPayload:
    day: date | None = strawberry.field(default=None, description="The day whose override was deleted.")
    errors: list[UserError] = strawberry.field(default_factory=list)


async def set_calendar_day(info: Info, day: date, is_working_day: bool, note: str = "") -> SetCalendarDayPayload:
    context = info.context
    row, errors = await attempt(calendar_admin.set_calendar_day(
        context.require_actor(), day, is_working_day=is_working_day, note=note, clock=context.clock))
    if row is None:
        return SetCalendarDayPayload(errors=errors)
    return SetCalendarDayPayload(calendar_day=CalendarDay(day=row.day, is_working_day=row.is_working_day, note=row.note,
                                                          source=calendar.CalendarSource.ADMIN))


async def delete_calendar_day(info: Info, day: date) -> DeleteCalendarDayPayload:
    context = info.context
    deleted, errors = await attempt(calendar_admin.delete_calendar_day(context.require_actor(), day,
                                                                       clock=context.clock))
    return DeleteCalendarDayPayload(day=deleted, errors=errors)
