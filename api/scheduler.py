"""The scheduler inside a server process: a task of the app's lifespan that ticks every few seconds.

Every `portal serve` process runs one; they share the work safely (rows are claimed with SKIP LOCKED on PostgreSQL),
so a deployment of several processes needs no separate worker. `PORTAL_SCHEDULER_SECONDS=0` turns it off (then run
`portal tick` from cron).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from api.documents import DocumentServices, file_store
from api.runtime import settle_heap
from api.settings import Settings
from domain.clock import Clock
from workflows.deadlines.scheduler import run_forever
from workflows.notifications.messages import compile_templates

log = logging.getLogger("portal.scheduler")


def settle_tick_process() -> None:
    """The start-up of a process that runs ticks (`portal tick`, the deadline benchmark's workers): the notification
    templates compiled, as a long-running server has them, then the heap settled (`api.runtime.settle_heap`)."""
    compile_templates()
    settle_heap()


def outbox_transports(settings: Settings) -> Any:
    """The e-mail and webhook senders the settings describe (webhook secrets need the master key, if any)."""
    from api.documents import master_key_if_configured
    from workflows.notifications.delivery import Transports

    return Transports.from_settings(settings, master_key_if_configured(settings))


class ServerScheduler:
    """Starts and stops the tick loop with the app."""

    def __init__(self, settings: Settings, clock: Clock, documents: DocumentServices) -> None:
        self.settings = settings
        self.clock = clock
        self.documents = documents
        self._stop = asyncio.Event()
        self._task: asyncio.Task | None = None
        self._transports: Any = None

    async def _senders(self) -> Any:
        if self._transports is None:
            self._transports = outbox_transports(self.settings)
        return self._transports

    def start(self) -> None:
        if self.settings.scheduler_seconds <= 0 or self._task is not None:
            return
        compile_templates()
        self._stop.clear()
        self._task = asyncio.create_task(run_forever(
            self.clock, interval_seconds=self.settings.scheduler_seconds, documents=self.documents.get_if_available,
            transports=self._senders, files=file_store(self.settings), stop=self._stop), name="portal-scheduler")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=30)
            except TimeoutError:
                self._task.cancel()
            self._task = None
        if self._transports is not None:
            await self._transports.aclose()
            self._transports = None
