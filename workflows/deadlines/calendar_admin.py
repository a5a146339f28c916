"""Admins' overrides of the working calendar: a CalendarDay row makes a day a working day or not, whatever the
`holidays` package says (see `workflows.deadlines.calendar`).

Each change is one transaction with one audit event. It moves the due times of acknowledgements opened afterwards;
the due time of one already open was fixed when it was opened.
"""

from __future__ import annotations

from datetime import date

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.actors import Actor
from domain.clock import Clock
from domain.enums import Role
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.models import CalendarDay
from workflows.audit import record_event
from workflows.inputs import text

EARLIEST_DAY = date(2000, 1, 1)
LATEST_DAY = date(2100, 12, 31)
MAX_NOTE_LENGTH = 100  # the column's size


def require_admin(actor: Actor, doing: str) -> None:
    """Refuse (PERMISSION_DENIED) anyone but the buyer's admins."""
    if not (actor.is_staff and actor.has_any({Role.ADMIN})):
        raise PermissionDenied(f"to {doing} takes the role ADMIN")


def checked_day(day: date) -> date:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationFailed(f"day must be between {EARLIEST_DAY} and {LATEST_DAY}", field="day")
    return day


async def set_calendar_day(actor: Actor, day: date, *, is_working_day: bool, note: str = "",
                           clock: Clock) -> CalendarDay:
    """Make `day` a working day or not (creating or replacing its override). Refuses PERMISSION_DENIED (admins
    only) and INVALID (`day` out of range, `note` too long or holding control characters)."""
    require_admin(actor, "change the working calendar")
    day = checked_day(day)
    note = text(note, "note", MAX_NOTE_LENGTH)
    now = clock.now()
    try:
        async with in_transaction() as connection:
            row = await CalendarDay.filter(day=day).using_db(connection).select_for_update().first()
            before = None if row is None else {"is_working_day": row.is_working_day, "note": row.note}
            if row is None:
                row = await CalendarDay.create(day=day, is_working_day=is_working_day, note=note, created_at=now,
                                               using_db=connection)
            else:
                row.is_working_day, row.note = is_working_day, note
                await row.save(using_db=connection, update_fields=["is_working_day", "note"])
            await record_event(connection, at=now, actor=actor, action="calendar_day.set", subject_type="CalendarDay",
                               subject_id=row.id, data={"day": day.isoformat(), "is_working_day": is_working_day,
                                                        "note": note, "before": before})
    except IntegrityError:
        # Another admin created the same day's override between our read and our insert.
        raise Conflict(f"{day} was changed by someone else at the same moment: try again", field="day") from None
    return row


async def delete_calendar_day(actor: Actor, day: date, *, clock: Clock) -> date:
    """Remove the override of `day` (the package's answer, or the plain weekday, applies again). Refuses
    PERMISSION_DENIED (admins only) and NOT_FOUND (no override on that day)."""
    require_admin(actor, "change the working calendar")
    now = clock.now()
    async with in_transaction() as connection:
        row = await CalendarDay.filter(day=day).using_db(connection).select_for_update().first()
        if row is None:
            raise NotFound(f"{day} has no override to delete", field="day")
        await record_event(connection, at=now, actor=actor, action="calendar_day.deleted", subject_type="CalendarDay",
                           subject_id=row.id, data={"day": day.isoformat(), "is_working_day": row.is_working_day,
                                                    "note": row.note})
        await row.delete(using_db=connection)
    return day
