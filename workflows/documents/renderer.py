"""`DocumentRenderer`: `render_pdf` in a pool of worker processes. Rendering is CPU-bound and must never block the
server's event loop; each worker has a memory limit, each document a time limit, and a worker that dies or hangs is
replaced."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
import os
import resource
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any

from domain.enums import DocumentKind
from workflows.documents import fonts, render
from workflows.documents.contexts import DocumentContext, EvidenceContext
from workflows.documents.render import RenderedPdf
from workflows.documents.render_errors import RenderFailed, RenderTimeout
from workflows.documents.samples import sample_context


def _prepare_worker(memory_mb: int | None) -> None:
    """Runs once in each worker process: cap its address space, then render a small document so fonts are loaded."""
    if memory_mb:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    render.render_pdf(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
    # What is loaded by now (modules, fonts, the stylesheet) lives as long as the worker: the collector need not walk
    # it again after every document.
    gc.collect()
    gc.freeze()


class DocumentRenderer:
    """Renders documents in worker processes, at most `workers` at a time, each within `timeout_s` seconds.

    Safe to call concurrently from one event loop; `render_many` renders a batch on every worker. A render that times
    out stops its worker pool (a running task cannot be cancelled otherwise), and other renders caught up in that stop
    are retried once on the fresh pool. Workers are replaced after `max_tasks_per_child` documents, which bounds
    memory growth, and each is limited to `memory_mb` of address space.

        async with DocumentRenderer(workers=2) as renderer:
            rendered = await renderer.render(DocumentKind.CONTRACT, context)
    """

    def __init__(
        self,
        *,
        workers: int | None = None,
        timeout_s: float = 30.0,
        memory_mb: int | None = 1024,
        max_tasks_per_child: int = 500,
    ) -> None:
        render.ensure_cjk_font()  # here, in the caller's process, where the error is clear
        self.workers = workers or os.cpu_count() or 1
        self.timeout_s = timeout_s
        self.memory_mb = memory_mb
        self.max_tasks_per_child = max_tasks_per_child
        # forkserver: workers are forked from a clean single-threaded server, never from the threaded server process
        # (forking a process with threads can deadlock the child); preloading this module there makes forks cheap.
        self._mp_context = multiprocessing.get_context("forkserver")
        self._mp_context.set_forkserver_preload([__name__])
        self._pool: ProcessPoolExecutor | None = None
        self._slots = asyncio.Semaphore(self.workers)
        self._closed = False

    async def start(self) -> frozenset[int]:
        """Start and warm up all workers now rather than on the first render; returns their process ids."""
        if self._closed:
            raise RuntimeError("the document renderer is closed")
        # The first start on a machine cuts the CJK font subset (seconds): here, off the event loop, and once rather
        # than in every worker.
        await asyncio.to_thread(fonts.subset_font)
        pool = self._current_pool()
        loop = asyncio.get_running_loop()
        try:
            await asyncio.gather(*(loop.run_in_executor(pool, os.getpid) for _ in range(self.workers)))
        except BrokenProcessPool as error:
            self._discard(pool)
            raise RenderFailed(f"the document workers could not start: {error}") from error
        return frozenset(pool._processes or ())

    async def render(
        self, kind: DocumentKind, context: DocumentContext, *, timeout_s: float | None = None
    ) -> RenderedPdf:
        """`render_pdf(kind, context)` in a worker; raises `RenderTimeout`, `RenderFailed` or what render_pdf raises."""
        label = f"{DocumentKind(kind).value} {context.number}"
        return await self._run(render.render_pdf, (kind, context), label, timeout_s)

    async def render_evidence(self, context: EvidenceContext, *, timeout_s: float | None = None) -> RenderedPdf:
        """`render_evidence(context)` in a worker."""
        return await self._run(render.render_evidence, (context,), f"evidence of {context.number}", timeout_s)

    async def render_many(self, items: Iterable[tuple[DocumentKind, DocumentContext]]) -> list[RenderedPdf]:
        """Render several documents on all workers at once; results in the order given."""
        return list(await asyncio.gather(*(self.render(kind, context) for kind, context in items)))

    async def _run(
        self, function: Callable[..., RenderedPdf], args: tuple[Any, ...], label: str, timeout_s: float | None
    ) -> RenderedPdf:
        if self._closed:
            raise RuntimeError("the document renderer is closed")
        limit = self.timeout_s if timeout_s is None else timeout_s
        loop = asyncio.get_running_loop()
        # The time limit starts once a worker is free: waiting for one is not the document's fault.
        async with self._slots:
            retried = False
            while True:
                pool = self._current_pool()
                try:
                    return await asyncio.wait_for(loop.run_in_executor(pool, function, *args), limit)
                except TimeoutError:
                    self._discard(pool)
                    raise RenderTimeout(f"rendering {label} took more than {limit} s; its worker was stopped") from None
                except BrokenProcessPool as error:
                    stopped_for_another_render = pool is not self._pool
                    self._discard(pool)
                    if stopped_for_another_render and not retried:
                        retried = True
                        continue
                    raise RenderFailed(f"the worker rendering {label} died: {error}") from error
                except MemoryError as error:
                    self._discard(pool)
                    raise RenderFailed(f"rendering {label} ran out of memory (limit {self.memory_mb} MB)") from error

    def _current_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=self._mp_context,
                initializer=_prepare_worker,
                initargs=(self.memory_mb,),
                max_tasks_per_child=self.max_tasks_per_child,
            )
        return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        """Stop `pool` for good: kill its processes (a running render cannot be cancelled any other way)."""
        if pool is self._pool:
            self._pool = None
        for process in list((pool._processes or {}).values()):
            process.kill()
        pool.shutdown(wait=False, cancel_futures=True)

    def close(self) -> None:
        """Stop the workers, waiting for renders in progress. The renderer cannot be used afterwards."""
        self._closed = True
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    async def __aenter__(self) -> DocumentRenderer:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        await asyncio.to_thread(self.close)
