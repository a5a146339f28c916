"""Escalation: what happens to an open acknowledgement when its next action time comes.

Before the due time the supplier is reminded (the policy's `reminder_hours` before it); at the due time the
acknowledgement becomes OVERDUE; after it, each escalation step tells the document's owner, then the owner's manager;
last comes the policy's final action (a contract offer expires; a plan revision is marked unanswered).

`plan_step` decides one step from the row and the clock alone. After downtime it catches up without flooding: of the
reminders that have all come due it sends one, and escalation steps that have all come due are one escalation (to
every target of those steps), so a week offline gives "overdue, escalated, expired", not twenty messages.

`run_deadlines` claims due rows in batches, through the index on (status, next_action_at). On PostgreSQL it claims
with `FOR UPDATE SKIP LOCKED`, so any number of processes share the work and each row is handled by one of them; the
update is also conditional on the status and next action time it read. On SQLite a batch first takes the database's
write lock, so processes take turns. Each batch is one transaction: the rows' new state, their audit events and their
notifications (inbox, e-mail and webhook outbox rows, each with a unique key) commit together or not at all.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from types import SimpleNamespace

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from domain.clock import Clock
from domain.enums import (
    OPEN_ACKNOWLEDGEMENT_STATUSES, AcknowledgementKind as AK, AcknowledgementStatus as AS, ContractStatus,
)
from domain.models import Acknowledgement, Contract
from workflows import transitions as tt
from workflows.audit import PendingEvent, record_events
from workflows.deadlines.notices import AcknowledgementNotices
from workflows.deadlines.policies import Policy, policies_in_force
from workflows.notifications.inbox import NotificationBatch

log = logging.getLogger("portal.deadlines")

BATCH_SIZE = 500
MAX_STEPS_PER_TICK = 6  # overdue, one escalation, the final action: a row never needs more to catch up
FINAL_ACTIONS = {"EXPIRE_OFFER": "expire", "MARK_UNANSWERED": "unanswered"}
TRANSITIONS = {"overdue": "overdue", "escalate": "escalate", "expire": "cancel"}  # step -> ACKNOWLEDGEMENT transition


@dataclass(frozen=True)
class Step:
    """One action on an acknowledgement and the state it leaves: `action` is "remind", "overdue", "escalate",
    "expire", "unanswered", or "none" (nothing due: only the next action time is set right)."""

    action: str
    status: AS
    escalation_level: int
    reminders_sent: int
    next_action_at: datetime | None
    targets: tuple[str, ...] = ()


def reminder_times(policy: Policy, sent_at: datetime, due_at: datetime) -> list[datetime]:
    """When the supplier is reminded, earliest first; reminders that would fall before sending are dropped."""
    times = {due_at - timedelta(hours=hours) for hours in policy.reminder_hours}
    return sorted(t for t in times if sent_at < t < due_at)


def escalation_times(policy: Policy, due_at: datetime) -> list[datetime]:
    return [due_at + timedelta(hours=int(step["after_hours"])) for step in policy.escalation_steps]


def final_time(policy: Policy, due_at: datetime) -> datetime | None:
    if policy.final_action not in FINAL_ACTIONS:
        return None
    return due_at + timedelta(hours=policy.final_after_hours)


def _after_level(policy: Policy, due_at: datetime, level: int) -> datetime | None:
    steps = escalation_times(policy, due_at)
    return steps[level] if level < len(steps) else final_time(policy, due_at)


def plan_step(policy: Policy, kind: AK, *, status: AS, sent_at: datetime, due_at: datetime, reminders_sent: int,
              escalation_level: int, now: datetime) -> Step:
    """The one step due at `now` for an acknowledgement in this state, and the state it leaves."""
    level = escalation_level
    if status is AS.PENDING:
        if now < due_at:
            times = reminder_times(policy, sent_at, due_at)
            passed = sum(1 for t in times if t <= now)
            upcoming = next((t for t in times if t > now), due_at)
            if passed > reminders_sent:
                return Step("remind", status, level, passed, upcoming)
            return Step("none", status, level, reminders_sent, upcoming)
        if kind is AK.TENDER_BID:
            # The bidding deadline is the tender's closing: closing it settles every invitation.
            return Step("none", status, level, reminders_sent, None)
        return Step("overdue", AS.OVERDUE, 0, reminders_sent, _after_level(policy, due_at, 0))
    if status not in OPEN_ACKNOWLEDGEMENT_STATUSES:
        return Step("none", status, level, reminders_sent, None)
    steps = escalation_times(policy, due_at)
    due_steps = [index for index in range(level, len(steps)) if steps[index] <= now]
    if due_steps:
        new_level = due_steps[-1] + 1
        targets = tuple(dict.fromkeys(str(policy.escalation_steps[i]["to"]) for i in due_steps))
        return Step("escalate", AS.ESCALATED, new_level, reminders_sent, _after_level(policy, due_at, new_level),
                    targets)
    final = final_time(policy, due_at)
    if level >= len(steps) and final is not None and final <= now:
        action = FINAL_ACTIONS[policy.final_action]
        if action == "expire" and kind is not AK.CONTRACT:
            action = "unanswered"  # only a contract is an offer that can lapse
        return Step(action, AS.CANCELLED if action == "expire" else status, level, reminders_sent, None)
    return Step("none", status, level, reminders_sent, _after_level(policy, due_at, level))


def plan_steps(policy: Policy, ack: Acknowledgement | DueAcknowledgement, now: datetime) -> list[Step]:
    """Every step due at `now`, in order (a row caught up after downtime may need several)."""
    steps: list[Step] = []
    status, level, reminders = AS(ack.status), ack.escalation_level, ack.reminders_sent
    for _ in range(MAX_STEPS_PER_TICK):
        step = plan_step(policy, AK(ack.kind), status=status, sent_at=ack.created_at, due_at=ack.due_at,
                         reminders_sent=reminders, escalation_level=level, now=now)
        steps.append(step)
        if step.action == "none" or step.next_action_at is None or step.next_action_at > now:
            break
        status, level, reminders = step.status, step.escalation_level, step.reminders_sent
    return steps


@dataclass
class DeadlineReport:
    """What one run did: actions by kind, and the rows it could not handle (logged; retried next run)."""

    actions: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    batches: int = 0
    failed: list[uuid.UUID] = field(default_factory=list)

    def count(self, action: str) -> None:
        self.actions[action] = self.actions.get(action, 0) + 1

    @property
    def total(self) -> int:
        return sum(self.actions.values())


async def run_deadlines(clock: Clock, *, batch_size: int = BATCH_SIZE, max_batches: int | None = None,
                        on_batch=None) -> DeadlineReport:  # noqa: ANN001 - on_batch(report), for progress
    """Take every action due now, batch by batch, until none is left. Running it again at once does nothing more."""
    now = clock.now()
    report = DeadlineReport()
    skip: set[uuid.UUID] = set()
    while max_batches is None or report.batches < max_batches:
        try:
            claimed = await _run_batch(now, batch_size, skip, report)
        except Exception:  # noqa: BLE001 - one bad row must not stop the others: retry them one by one
            log.exception("a deadline batch failed; retrying its rows one at a time")
            claimed = await _run_rows_one_by_one(now, batch_size, skip, report)
        report.batches += 1
        if on_batch is not None:
            on_batch(report)
        if claimed < batch_size:
            break
    return report


async def _run_rows_one_by_one(now: datetime, batch_size: int, skip: set[uuid.UUID], report: DeadlineReport) -> int:
    ids = await _due_ids(now, batch_size, skip)
    for ack_id in ids:
        try:
            await _run_batch(now, 1, skip, report, only=ack_id)
        except Exception:  # noqa: BLE001
            log.exception("acknowledgement %s: its deadline action failed; it is retried on the next run", ack_id)
            report.failed.append(ack_id)
            skip.add(ack_id)
    return len(ids)


def _due(now: datetime, skip: set[uuid.UUID], only: uuid.UUID | None = None) -> QuerySet[Acknowledgement]:
    """Open rows whose next action time has come (the (status, next_action_at) index), earliest first."""
    query = Acknowledgement.filter(status__in=sorted(OPEN_ACKNOWLEDGEMENT_STATUSES), next_action_at__lte=now)
    if only is not None:
        query = query.filter(id=only)
    elif skip:
        query = query.exclude(id__in=list(skip))
    return query.order_by("next_action_at")


async def _due_ids(now: datetime, limit: int, skip: set[uuid.UUID]) -> list[uuid.UUID]:
    return list(await _due(now, skip).limit(limit).values_list("id", flat=True))


def _is_postgres(connection: BaseDBAsyncClient) -> bool:
    return connection.capabilities.dialect == "postgres"


@dataclass(slots=True)
class DueAcknowledgement:
    """A claimed row: what the scheduler reads of an acknowledgement, under the model's attribute names (so that
    notices and audit events take it as they take the model). Building a model object costs ten times as much, and a
    tick claims a thousand rows."""

    id: uuid.UUID
    kind: AK
    subject_type: str
    subject_id: uuid.UUID
    subject_number: str
    supplier_id: uuid.UUID
    owner_id: uuid.UUID
    status: AS
    due_at: datetime
    escalation_level: int
    reminders_sent: int
    next_action_at: datetime | None
    created_at: datetime

    def __post_init__(self) -> None:
        self.kind, self.status = AK(self.kind), AS(self.status)  # the PostgreSQL driver returns them as text

    @property
    def pk(self) -> uuid.UUID:
        return self.id

    @classmethod
    def of(cls, ack: Acknowledgement) -> DueAcknowledgement:
        return cls(**{name: getattr(ack, name) for name in CLAIMED_COLUMNS})


CLAIMED_COLUMNS = tuple(column.name for column in fields(DueAcknowledgement))

# `_due`'s rows, locked, on PostgreSQL: rows another process holds are skipped, not waited for.
CLAIM_POSTGRES = f"""
    SELECT {", ".join(CLAIMED_COLUMNS)}
      FROM acknowledgement
     WHERE status = ANY($1::text[]) AND next_action_at <= $2 AND id <> ALL($3::uuid[])
     ORDER BY next_action_at
     LIMIT $4
       FOR UPDATE SKIP LOCKED
"""


async def _claim(connection: BaseDBAsyncClient, now: datetime, limit: int, skip: set[uuid.UUID],
                 only: uuid.UUID | None) -> list[DueAcknowledgement]:
    if not _is_postgres(connection):
        # SQLite has no row locks: take the database's write lock before reading, so runs in other processes wait.
        await connection.execute_query("UPDATE audit_chain_head SET seq = seq WHERE id = 1")
    elif only is None:
        rows = await connection.execute_query_dict(
            CLAIM_POSTGRES, [sorted(OPEN_ACKNOWLEDGEMENT_STATUSES), now, list(skip), limit])
        return [DueAcknowledgement(**row) for row in rows]
    query = _due(now, skip, only).limit(limit).select_for_update(skip_locked=True).using_db(connection)
    return [DueAcknowledgement.of(ack) for ack in await query]


@dataclass
class _Planned:
    ack: DueAcknowledgement
    steps: list[Step]
    status: AS  # as read, before the steps

    @property
    def last(self) -> Step:
        return self.steps[-1]


async def _run_batch(now: datetime, limit: int, skip: set[uuid.UUID], report: DeadlineReport,
                     only: uuid.UUID | None = None) -> int:
    async with in_transaction() as connection:
        rows = await _claim(connection, now, limit, skip, only)
        if not rows:
            return 0
        policies = await policies_in_force(connection)
        planned = [_Planned(ack, plan_steps(policies[ack.kind], ack, now), ack.status) for ack in rows]
        updated = await _write_states(connection, planned, now)
        planned = [p for p in planned if p.ack.id in updated]
        batch = NotificationBatch(at=now)
        notices = AcknowledgementNotices(batch)
        await notices.load([p.ack for p in planned if p.steps[0].action != "none"], connection)
        events: list[PendingEvent] = []
        for item in planned:
            events.extend(await _take_steps(connection, item, notices, now))
        await batch.flush(connection)
        await record_events(connection, events)  # last: the audit chain's lock is held only until commit
    for item in planned:  # counted once committed: a batch that failed did nothing
        for step in item.steps:
            if step.action != "none":
                report.count(step.action)
    report.rows += len(rows)
    return len(rows)


async def _write_states(connection: BaseDBAsyncClient, planned: Sequence[_Planned], now: datetime) -> set[uuid.UUID]:
    """Write each row's new state, if it still holds the status and next action time it was read with."""
    for item in planned:  # every status change must be one the transition table allows the portal to take
        status = item.status
        for step in item.steps:
            if step.action in TRANSITIONS:
                tt.check(tt.ACKNOWLEDGEMENT, SimpleNamespace(status=status, subject_number=item.ack.subject_number),
                         TRANSITIONS[step.action], None)
            status = step.status
    if _is_postgres(connection):
        # Each row found by its id: the condition on what was read is an IS NOT DISTINCT FROM, which no index serves.
        # As an equality, it led the planner to the (status, next_action_at) index instead, where every row of a
        # batch due at one time matched, and each lookup read them all.
        rows = await connection.execute_query_dict(
            """
            UPDATE acknowledgement AS a
               SET status = v.status, escalation_level = v.level, reminders_sent = v.reminders,
                   next_action_at = v.next_at, updated_at = $1
              FROM (SELECT unnest($2::uuid[]) AS id, unnest($3::text[]) AS status, unnest($4::int[]) AS level,
                           unnest($5::int[]) AS reminders, unnest($6::timestamptz[]) AS next_at,
                           unnest($7::text[]) AS expected_status, unnest($8::timestamptz[]) AS expected_next) AS v
             WHERE a.id = v.id
               AND (a.status, a.next_action_at) IS NOT DISTINCT FROM (v.expected_status, v.expected_next)
            RETURNING a.id
            """,
            [now, [p.ack.id for p in planned], [p.last.status.value for p in planned],
             [p.last.escalation_level for p in planned], [p.last.reminders_sent for p in planned],
             [p.last.next_action_at for p in planned], [p.status.value for p in planned],
             [p.ack.next_action_at for p in planned]],
        )
        updated = {row["id"] for row in rows}
    else:
        updated = set()
        for item in planned:  # the write lock is held: no other writer can have moved these rows
            count = await Acknowledgement.filter(id=item.ack.id, status=item.status).using_db(connection).update(
                status=item.last.status, escalation_level=item.last.escalation_level,
                reminders_sent=item.last.reminders_sent, next_action_at=item.last.next_action_at, updated_at=now)
            if count:
                updated.add(item.ack.id)
    return updated


async def _take_steps(connection: BaseDBAsyncClient, item: _Planned, notices: AcknowledgementNotices,
                      now: datetime) -> list[PendingEvent]:
    """The audit events and notices of `item`'s steps (its row is already written), and a lapsed contract's expiry."""
    ack = item.ack
    events: list[PendingEvent] = []
    status = item.status
    for step in item.steps:
        if step.action == "none":
            continue
        ack.status, ack.escalation_level, ack.reminders_sent = step.status, step.escalation_level, step.reminders_sent
        key = f"ack:{ack.id}:{step.action}:{step.reminders_sent if step.action == 'remind' else step.escalation_level}"
        data = {"kind": str(ack.kind), "number": ack.subject_number}
        if step.action == "remind":
            events.append(PendingEvent(now, None, "acknowledgement.remind", "Acknowledgement", ack.id,
                                       supplier_id=ack.supplier_id, data={**data, "reminder": step.reminders_sent}))
            notices.add(ack, "reminder", key=key, at=now, recipients=notices.supplier_users(ack))
        elif step.action == "overdue":
            events.append(tt.event_for(tt.ACKNOWLEDGEMENT, ack, "overdue", actor=None, at=now, old=status, data=data))
            notices.add(ack, "overdue", key=key, at=now, recipients=notices.supplier_users(ack))
        elif step.action == "escalate":
            events.append(tt.event_for(tt.ACKNOWLEDGEMENT, ack, "escalate", actor=None, at=now, old=status,
                                       data={**data, "level": step.escalation_level, "to": list(step.targets)}))
            notices.add(ack, "escalated", key=key, at=now, level=step.escalation_level,
                        recipients=notices.escalation_recipients(ack, step.targets))
        elif step.action == "expire":
            events.append(tt.event_for(tt.ACKNOWLEDGEMENT, ack, "cancel", actor=None, at=now, old=status,
                                       data={**data, "reason": "expired"}))
            await _expire_contract(connection, ack, now)
            notices.add(ack, "expired", key=key, at=now,
                        recipients=[*notices.owner(ack), *notices.supplier_users(ack)])
        elif step.action == "unanswered":
            events.append(PendingEvent(now, None, "acknowledgement.unanswered", "Acknowledgement", ack.id,
                                       supplier_id=ack.supplier_id, data=data))
            notices.add(ack, "unanswered", key=key, at=now,
                        recipients=[*notices.owner(ack), *notices.supplier_users(ack)])
        status = step.status
    ack.next_action_at = item.last.next_action_at
    return events


async def _expire_contract(connection: BaseDBAsyncClient, ack: DueAcknowledgement, now: datetime) -> None:
    """The offer lapsed: an ISSUED contract becomes EXPIRED (one already answered another way is left alone)."""
    contract = await Contract.filter(id=ack.subject_id).using_db(connection).select_for_update().first()
    if contract is not None and contract.status == ContractStatus.ISSUED:
        await tt.apply(connection, tt.CONTRACT, contract, "expire", actor=None, at=now,
                       data={"acknowledgement": str(ack.id)})
