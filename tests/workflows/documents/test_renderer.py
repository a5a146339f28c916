"""The worker pool: documents rendered in other processes, concurrently, each within its time limit; a worker that hangs
or dies is replaced; a closed renderer refuses work."""

from __future__ import annotations

import os

import pytest

from domain.enums import DocumentKind
from workflows.documents.samples import sample_context, sample_evidence_context
from workflows.documents.render import SIGNATURE_SLOTS, render_pdf
from workflows.documents.render_errors import RenderFailed, RenderTimeout
from workflows.documents.renderer import DocumentRenderer


async def test_the_renderer_renders_in_worker_processes_concurrently() -> None:
    async with DocumentRenderer(workers=2, timeout_s=120) as renderer:
        pids = await renderer.start()
        assert len(pids) == 2 and os.getpid() not in pids

        kinds = list(DocumentKind)
        results = await renderer.render_many([(kind, sample_context(kind, lines=3)) for kind in kinds])
        evidence = await renderer.render_evidence(sample_evidence_context())

    assert [set(result.signature_boxes) for result in results] == [set(SIGNATURE_SLOTS[kind]) for kind in kinds]
    assert all(result.pdf.startswith(b"%PDF-") for result in [*results, evidence])
    assert results[0].pdf == render_pdf(kinds[0], sample_context(kinds[0], lines=3)).pdf


async def test_a_render_over_the_time_limit_is_stopped_and_the_renderer_recovers() -> None:
    async with DocumentRenderer(workers=1, timeout_s=120) as renderer:
        first_pids = await renderer.start()
        with pytest.raises(RenderTimeout, match="STATEMENT DZD-2026-0001"):
            await renderer.render(DocumentKind.STATEMENT, sample_context(DocumentKind.STATEMENT, lines=500),
                                  timeout_s=0.001)

        rendered = await renderer.render(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
        assert rendered.pdf.startswith(b"%PDF-")
        assert not first_pids & await renderer.start()  # the stopped worker was replaced


async def test_a_worker_that_dies_is_reported_and_replaced() -> None:
    # 64 MB of address space is too little to lay out a document: the worker fails while warming up.
    renderer = DocumentRenderer(workers=1, timeout_s=120, memory_mb=64)
    try:
        with pytest.raises(RenderFailed):
            await renderer.render(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
        renderer.memory_mb = None
        rendered = await renderer.render(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
        assert rendered.pdf.startswith(b"%PDF-")
    finally:
        renderer.close()


async def test_a_closed_renderer_refuses_work() -> None:
    renderer = DocumentRenderer(workers=1)
    renderer.close()
    with pytest.raises(RuntimeError, match="closed"):
        await renderer.render(DocumentKind.CONTRACT, sample_context(DocumentKind.CONTRACT, lines=1))
