"""The scheduler: everything the portal does on its own when a time comes, in one `tick`.

A tick closes the tenders whose closing time has come (and issues their opening records), takes the deadline actions
that are due (`workflows.deadlines.escalation`), delivers the outbox's due e-mails and webhook calls, and once a day
removes the stored files that no row refers to (`workflows.documents.orphans`). All its
state is in the database, so a tick can run in any process, at any time, any number of times: `portal tick` from cron,
and a loop inside every `portal serve` process (`run_forever`). After downtime the next tick catches up.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from domain.clock import Clock
from workflows.deadlines.escalation import DeadlineReport, run_deadlines

log = logging.getLogger("portal.scheduler")

DELIVERY_LIMIT = 500  # outbox rows per round
DELIVERY_ROUNDS = 10  # rounds per tick; what is left goes on the next tick


@dataclass
class TickReport:
    tenders_closed: list[str] = field(default_factory=list)
    deadlines: DeadlineReport = field(default_factory=DeadlineReport)
    delivery: Any = None  # workflows.notifications.delivery.DeliveryReport, when delivery ran
    orphans_removed: list[str] | None = None  # stored files no row refers to, when the daily sweep ran
    errors: list[str] = field(default_factory=list)


async def _provided(provider: Any) -> Any:
    if provider is None or not callable(provider):
        return provider
    return await provider()


async def _close_tenders(clock: Clock, documents: Any) -> list[str]:
    """Close the tenders due; the document service is asked for only while a recent tender may lack its records."""
    from domain.enums import TenderStatus
    from domain.models import Tender
    from workflows.tendering.documents import RETRY_WINDOW, issue_missing_documents
    from workflows.tendering.opening import close_due_tenders

    closed = [tender.number for tender in await close_due_tenders(clock, None)]
    now = clock.now()
    recent = await Tender.filter(status__in=[TenderStatus.CLOSED, TenderStatus.AWARDED],
                                 closed_at__gte=now - RETRY_WINDOW, closed_at__lte=now).exists()
    if recent:
        service = await _provided(documents)
        if service is not None:
            await issue_missing_documents(clock, service)
    return closed


async def tick(clock: Clock, *, documents: Any = None, transports: Any = None, on_progress: Any = None,
               files: Any = None) -> TickReport:
    """Run everything due now once. `documents` is the DocumentService (or an async provider of it; None: opening
    records are left for a later tick that can sign); `transports` are the outbox's e-mail and webhook senders (or a
    provider; None: messages stay queued); `files` is the document file store, swept of orphaned files once a day
    (None: not swept). A failing part is logged and reported; the others still run."""
    report = TickReport()
    try:
        report.tenders_closed = await _close_tenders(clock, documents)
    except Exception as error:  # noqa: BLE001 - a tick must go on to the deadlines whatever happened here
        log.exception("closing due tenders failed")
        report.errors.append(f"closing tenders: {error}")
    try:
        report.deadlines = await run_deadlines(clock, on_batch=on_progress)
        if report.deadlines.failed:
            report.errors.append(f"{len(report.deadlines.failed)} acknowledgement(s) failed; retried next tick")
    except Exception as error:  # noqa: BLE001
        log.exception("the deadline actions failed")
        report.errors.append(f"deadlines: {error}")
    try:
        senders = await _provided(transports)
        if senders is not None:
            from workflows.notifications.delivery import deliver_due

            report.delivery = last = await deliver_due(clock, senders, limit=DELIVERY_LIMIT)
            for _ in range(DELIVERY_ROUNDS - 1):  # a backlog drains over a few rounds, never one tick forever
                if last.attempted < DELIVERY_LIMIT:
                    break
                last = more = await deliver_due(clock, senders, limit=DELIVERY_LIMIT)
                report.delivery.sent += more.sent
                report.delivery.retried += more.retried
                report.delivery.dead += more.dead
    except Exception as error:  # noqa: BLE001
        log.exception("delivering the outbox failed")
        report.errors.append(f"delivery: {error}")
    if files is not None:
        try:
            from workflows.documents.orphans import sweep_if_due

            report.orphans_removed = await sweep_if_due(files)
        except Exception as error:  # noqa: BLE001
            log.exception("sweeping orphaned files failed")
            report.errors.append(f"orphaned files: {error}")
    return report


async def run_forever(clock: Clock, *, interval_seconds: float, documents: Any = None, transports: Any = None,
                      files: Any = None, stop: asyncio.Event | None = None) -> None:
    """Tick every `interval_seconds` until `stop` is set (the server's lifespan runs this as a task)."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            report = await tick(clock, documents=documents, transports=transports, files=files)
            if report.deadlines.total or report.tenders_closed:
                log.info("tick: %s deadline action(s), %s tender(s) closed", report.deadlines.total,
                         len(report.tenders_closed))
        except Exception:  # noqa: BLE001 - the loop outlives any one tick
            log.exception("scheduler tick failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=interval_seconds)
        except TimeoutError:
            pass
