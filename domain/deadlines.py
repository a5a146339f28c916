"""When an acknowledgement is overdue: the rule in Python and the same rule as a database condition."""

from __future__ import annotations

from datetime import datetime

from tortoise.expressions import Q

from domain.enums import OPEN_ACKNOWLEDGEMENT_STATUSES, AcknowledgementStatus


def is_overdue(status: AcknowledgementStatus, due_at: datetime, now: datetime) -> bool:
    """Still open and past its due time."""
    return status in OPEN_ACKNOWLEDGEMENT_STATUSES and due_at < now


def overdue_condition(now: datetime) -> Q:
    """`is_overdue` as a filter on Acknowledgement rows."""
    return Q(status__in=sorted(OPEN_ACKNOWLEDGEMENT_STATUSES), due_at__lt=now)
