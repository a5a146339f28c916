"""Signed documents: render and sign latency, issuing throughput, verification latency and the renderer's memory growth.

Measures, on this machine:
  * `contract_p50_ms`: a 2-page bilingual contract (the most lines that still fit on 2 pages) rendered in-process with
    `render_pdf` and signed by the buyer with `sign_pdf` (PAdES B-B), p50 over `--runs` runs (render and sign also
    reported apart, and the render's CPU time, `contract_render_cpu_p50_ms`, which waiting for a busy core leaves out);
  * `statement_500_lines_ms`: a 500-line statement, render + sign, p50 of 3;
  * `verify_p50_ms`: `verify_pdf` of that contract signed by the buyer and countersigned by the supplier, p50;
  * `speedups_cpu_ratio`: the CPU time of a 12-line statement's render with the WeasyPrint speedups over that
    without them (`weasyprint_speedups.pristine()`), `--speedup-pairs` of each, alternately in one process;
  * `rss_growth_mb_per_1000`: resident memory growth of one process rendering the contract again and again (after a
    warm-up), scaled to 1,000 renders;
  * `batch_docs_per_s`: `--batch` 12-line statements, each with its own number and receipts, issued through the
    production path, `DocumentService.issue` (render in a `DocumentRenderer` pool of one worker per core, sign as the
    buyer, store in a `LocalFileStore`, record in a fresh SQLite database, or in the PostgreSQL database that
    `--database` names, dropped and created again), `--in-flight` at a time; `batch_detail` says where the time went
    (CPU of the main process and of the workers, render and record latencies).
Prints one JSON line on stdout; progress goes to stderr. The machine's load average and a CPU probe (`cpu_probe_ms`, a
fixed pure-Python loop) at the start and the end are in the JSON: other work on the machine, or a slower moment of the
machine itself, makes every figure slower.

    .venv/bin/python bench/documents.py [--batch 1000] [--in-flight 4] [--runs 20] [--speedup-pairs 30]
        [--rss-renders 300] [--database postgres://postgres@127.0.0.1:5432/portal_bench_documents]
"""

from __future__ import annotations

import sys
from pathlib import Path

# Keep this folder off the import path: its graphql.py would shadow the `graphql` package (the renderer's worker
# processes import this file as their main module too, with the same path).
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import contextlib  # noqa: E402
import dataclasses  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Awaitable, Callable  # noqa: E402
from datetime import UTC, datetime  # noqa: E402

from rich.console import Console  # noqa: E402
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn  # noqa: E402

from domain.enums import DocumentKind  # noqa: E402
from workflows.documents import weasyprint_speedups  # noqa: E402
from workflows.documents.contexts import DocumentContext, StatementContext  # noqa: E402
from workflows.documents.issuing import (  # noqa: E402
    BUYER_LABEL,
    SUPPLIER_LABEL,
    placeholder_verification,
    with_verification,
)
from workflows.documents.pki import create_root_ca, issue_signing_certificate  # noqa: E402
from workflows.documents.render import RenderedPdf, render_pdf  # noqa: E402
from workflows.documents.renderer import DocumentRenderer  # noqa: E402
from workflows.documents.samples import SAMPLE_BUYER, SAMPLE_SUPPLIERS, sample_context  # noqa: E402
from workflows.documents.signing import SigningIdentity, countersign_pdf, sign_pdf  # noqa: E402
from workflows.documents.verification import verify_pdf  # noqa: E402

console = Console(stderr=True, highlight=False)
VERIFY_URL = "https://portal.buyer.example/verify"
STATEMENT_LINES = 12  # a realistic monthly statement: two pages


# --- helpers ----------------------------------------------------------------------------------------------------------


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def p50_ms(samples: list[float]) -> float:
    return ms(statistics.median(samples))


def rss_mb() -> float:
    """Current resident set size of this process (not the peak), in MB."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def cpu_seconds_of(pid: int) -> float | None:
    """User + system CPU time of another process so far, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime (fields 14, 15)


def cpu_probe_ms() -> float:
    """CPU time of a fixed pure-Python loop, median of 5: how fast this machine runs Python right now.

    The same code gives figures up to a tenth apart from one minute to the next on this machine, and the probe itself
    varies with them (75 to 81 ms within a minute); its value at the start and the end of a run lets runs be
    compared.
    """
    samples = []
    for _ in range(5):
        started = time.process_time()
        total = 0
        for number in range(1_000_000):
            total += number * number % 7
        samples.append(time.process_time() - started)
    return p50_ms(samples)


def final_context(context: DocumentContext) -> DocumentContext:
    """The context as `DocumentService.issue` renders it: placeholder replaced by the real verification block."""
    placeholder = dataclasses.replace(context, verification=placeholder_verification(context.number))
    return with_verification(placeholder, VERIFY_URL)[0]


@dataclasses.dataclass(frozen=True)
class Identities:
    root: object  # cryptography x509.Certificate
    buyer: SigningIdentity
    supplier: SigningIdentity


def identities(now: datetime) -> Identities:
    root = create_root_ca("Supplier Portal Root CA", SAMPLE_BUYER.name_en, now)
    buyer = issue_signing_certificate(root, organization_name=SAMPLE_BUYER.name_zh, organization_code="BUYER", now=now)
    supplier = SAMPLE_SUPPLIERS[0]
    seller = issue_signing_certificate(root, organization_name=supplier.name_zh, organization_code=supplier.code,
                                       now=now)
    return Identities(root.certificate, SigningIdentity.from_key_pair(buyer, root.certificate),
                      SigningIdentity.from_key_pair(seller, root.certificate))


def box_of(rendered: RenderedPdf, slot: str) -> tuple[int, float, float, float, float]:
    box = rendered.signature_boxes[slot]
    return (box.page_index, box.x1, box.y1, box.x2, box.y2)


async def buyer_sign(rendered: RenderedPdf, ids: Identities, number: str) -> bytes:
    return await sign_pdf(rendered.pdf, ids.buyer, field_name="buyer", reason=f"签发 Issued {number}", location=None,
                          signer_label=BUYER_LABEL, box=box_of(rendered, "buyer"), signing_time=datetime.now(UTC),
                          timestamper=None)


async def timed(function: Callable[[], Awaitable[object]]) -> tuple[object, float]:
    started = time.perf_counter()
    result = await function()
    return result, time.perf_counter() - started


# --- in-process measurements ------------------------------------------------------------------------------------------


def two_page_contract() -> tuple[int, DocumentContext, RenderedPdf]:
    """The contract with the most lines that still renders to exactly 2 pages (renders a few: also a warm-up)."""
    best = None
    for lines in range(1, 60):
        context = final_context(sample_context(DocumentKind.CONTRACT, lines=lines))
        rendered = render_pdf(DocumentKind.CONTRACT, context)
        if rendered.pages > 2:
            break
        if rendered.pages == 2:
            best = (lines, context, rendered)
    if best is None:
        raise RuntimeError("no number of lines renders the sample contract to exactly 2 pages")
    return best


async def bench_render_and_sign(kind: DocumentKind, context: DocumentContext, ids: Identities,
                                runs: int) -> dict:
    renders, render_cpus, signs, totals, pages = [], [], [], [], 0
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        rendered = render_pdf(kind, context)
        rendered_at = time.perf_counter()
        render_cpus.append(time.process_time() - cpu_started)
        await buyer_sign(rendered, ids, context.number)
        done = time.perf_counter()
        renders.append(rendered_at - started)
        signs.append(done - rendered_at)
        totals.append(done - started)
        pages = rendered.pages
    # The render's CPU time as well as its wall time: on a shared machine, the wall time also counts waiting for a core.
    return {"p50_ms": p50_ms(totals), "render_p50_ms": p50_ms(renders), "render_cpu_p50_ms": p50_ms(render_cpus),
            "sign_p50_ms": p50_ms(signs), "pages": pages}


async def bench_verify(context: DocumentContext, ids: Identities, runs: int) -> float:
    rendered = render_pdf(DocumentKind.CONTRACT, context)
    signed = await buyer_sign(rendered, ids, context.number)
    both = await countersign_pdf(signed, ids.supplier, field_name="supplier", reason=f"确认 Accepted {context.number}",
                                 location=None, signer_label=SUPPLIER_LABEL, box=box_of(rendered, "supplier"),
                                 signing_time=datetime.now(UTC), timestamper=None)
    samples = []
    for run in range(runs + 2):  # two warm-up runs
        report, elapsed = await timed(lambda: verify_pdf(both, trust_roots=[ids.root], revocations={},
                                                         is_issued=None, now=datetime.now(UTC)))
        if not report.ok or len(report.signatures) != 2:
            raise RuntimeError(f"the countersigned contract does not verify:\n{report.to_text()}")
        if run >= 2:
            samples.append(elapsed)
    return p50_ms(samples)


def bench_speedups(context: DocumentContext, pairs: int) -> dict:
    """CPU time of the same statement rendered with the WeasyPrint speedups and within `pristine()`, alternately in
    one process: the pairs see the same moment of the machine, so their ratio holds where absolute figures drift."""

    def render_cpu(with_speedups: bool) -> float:
        started = time.process_time()
        with contextlib.nullcontext() if with_speedups else weasyprint_speedups.pristine():
            render_pdf(DocumentKind.STATEMENT, context)
        return time.process_time() - started

    for _ in range(2):  # warm-up, both ways
        render_cpu(True)
        render_cpu(False)
    fast, pristine = [], []
    for pair in range(pairs):
        for with_speedups in (True, False) if pair % 2 else (False, True):
            (fast if with_speedups else pristine).append(render_cpu(with_speedups))
    return {"cpu_p50_ms": p50_ms(fast), "pristine_cpu_p50_ms": p50_ms(pristine),
            "cpu_ratio": round(sum(fast) / sum(pristine), 3)}


def bench_rss(context: DocumentContext, warmup: int, renders: int) -> dict:
    for _ in range(warmup):
        render_pdf(DocumentKind.CONTRACT, context)
    gc.collect()
    before = rss_mb()
    with Progress(TextColumn("  renders"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, transient=True) as progress:
        task = progress.add_task("renders", total=renders)
        for _ in range(renders):
            render_pdf(DocumentKind.CONTRACT, context)
            progress.advance(task)
    gc.collect()
    after = rss_mb()
    return {"before_mb": round(before, 1), "after_mb": round(after, 1),
            "growth_mb_per_1000": round((after - before) * 1000 / renders, 1)}


# --- the production path ----------------------------------------------------------------------------------------------


def statement_contexts(count: int) -> list[StatementContext]:
    """`count` distinct 12-line statements: their own number, and their own receipt numbers (the content hash leaves
    the verification block out, so the number alone would not make two statements different)."""
    base = sample_context(DocumentKind.STATEMENT, lines=STATEMENT_LINES)
    assert isinstance(base, StatementContext)
    contexts = []
    for index in range(count):
        number = f"DZD-2026-{index + 1:05d}"
        receipts = tuple(dataclasses.replace(line, receipt_number=f"SH-{index + 1:05d}-{line.line_no:03d}")
                         for line in base.receipts)
        contexts.append(dataclasses.replace(base, verification=placeholder_verification(number), receipts=receipts))
    return contexts


async def bench_batch(count: int, in_flight: int, workers: int, database: str | None) -> dict:
    # Imported here: the renderer's workers import this file as their main module and need none of this.
    from api.database import close_database, migrate, open_database, recreate_postgres_database
    from domain.clock import SystemClock
    from domain.enums import OrgKind
    from domain.models import Document, DocumentFile, DocumentVersion, Organization
    from workflows.documents import keyring
    from workflows.documents.samples import SAMPLE_LETTERHEAD
    from workflows.documents.issuing import DocumentService, Subject
    from workflows.documents.pki import MasterKey
    from workflows.documents.storage import LocalFileStore

    render_waits: list[float] = []
    records: list[float] = []

    class TimedRenderer(DocumentRenderer):
        """The production renderer; only times each render as the caller sees it (queueing included)."""

        async def render(self, kind, context, *, timeout_s=None):  # noqa: ANN001, ANN202
            rendered, elapsed = await timed(lambda: super(TimedRenderer, self).render(kind, context,
                                                                                        timeout_s=timeout_s))
            render_waits.append(elapsed)
            return rendered

    class TimedService(DocumentService):
        """The production service; only times its second half (sign, store, record)."""

        async def record_rendered(self, subject, content_sha256, rendered, *, actor):  # noqa: ANN001, ANN202
            version, elapsed = await timed(lambda: super(TimedService, self).record_rendered(
                subject, content_sha256, rendered, actor=actor))
            records.append(elapsed)
            return version

    with tempfile.TemporaryDirectory(prefix="portal-bench-documents-") as tmp:
        url = database or f"sqlite://{Path(tmp) / 'bench.sqlite3'}"
        if database:
            await recreate_postgres_database(database)
        await migrate(url)
        await open_database(url)
        try:
            now = datetime.now(UTC)
            await Organization.create(kind=OrgKind.BUYER, code="BUYER", name_zh=SAMPLE_BUYER.name_zh,
                                      name_en=SAMPLE_BUYER.name_en)
            supplier_party = SAMPLE_SUPPLIERS[0]
            supplier = await Organization.create(kind=OrgKind.SUPPLIER, code=supplier_party.code,
                                                 name_zh=supplier_party.name_zh, name_en=supplier_party.name_en)
            master = MasterKey.generate()
            await keyring.init_keys(master, now)
            contexts = statement_contexts(count)
            async with TimedRenderer(workers=workers) as renderer:
                service = TimedService(store=LocalFileStore(Path(tmp) / "files"), renderer=renderer, master=master,
                                       clock=SystemClock(), letterhead=SAMPLE_LETTERHEAD, verify_url=VERIFY_URL)
                worker_cpu: dict[int, float] = {}
                sampling = True

                async def sample_workers() -> None:
                    # Workers are replaced after max_tasks_per_child documents: remember each one's last figure.
                    while sampling:
                        pool = renderer._pool  # noqa: SLF001 - the bench only reads the pool's process ids
                        for pid in list((pool._processes or {}) if pool else ()):  # noqa: SLF001
                            seconds = cpu_seconds_of(pid)
                            if seconds is not None:
                                worker_cpu[pid] = seconds
                        await asyncio.sleep(0.25)

                started_workers = renderer._pool._processes or {}  # noqa: SLF001
                baseline = {pid: cpu_seconds_of(pid) or 0.0 for pid in started_workers}  # their start and warm-up
                sampler = asyncio.create_task(sample_workers())
                pending = iter(enumerate(contexts))
                with Progress(TextColumn("  issuing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                              TextColumn("{task.fields[rate]}"), console=console) as progress:
                    bar = progress.add_task("issuing", total=count, rate="")

                    async def issuer() -> None:
                        for index, context in pending:
                            subject = Subject(kind=DocumentKind.STATEMENT, subject_type="Statement",
                                              subject_id=uuid.uuid4(), number=context.number,
                                              title="对账单 Statement of account", supplier_id=supplier.id)
                            await service.issue(subject, context, actor=None)
                            done = index + 1
                            rate = f"{done / (time.perf_counter() - started):.1f} docs/s"
                            progress.update(bar, advance=1, rate=rate)
                            if not console.is_terminal and done % 100 == 0:  # no live bar in a log file
                                console.print(f"  issued {done}/{count}, {rate}")

                    started = time.perf_counter()
                    cpu_started = time.process_time()
                    await asyncio.gather(*(issuer() for _ in range(in_flight)))
                    elapsed = time.perf_counter() - started
                    main_cpu = time.process_time() - cpu_started
                sampling = False
                await sampler
                for pid in list(renderer._pool._processes or {}):  # noqa: SLF001
                    seconds = cpu_seconds_of(pid)
                    if seconds is not None:
                        worker_cpu[pid] = seconds
            workers_cpu = sum(worker_cpu.values()) - sum(baseline.values())
            stored = sum(1 for _ in LocalFileStore(Path(tmp) / "files").keys())
            counts = (await Document.all().count(), await DocumentVersion.all().count(),
                      await DocumentFile.all().count())
            if counts != (count, count, count) or stored != count:
                raise RuntimeError(f"expected {count} documents, versions, files and stored files; got {counts}, "
                                   f"{stored}")
        finally:
            await close_database()
    return {
        "docs_per_s": round(count / elapsed, 2),
        "detail": {
            "elapsed_s": round(elapsed, 1),
            "main_cpu_ms_per_doc": ms(main_cpu / count),
            "main_cpu_busy": round(main_cpu / elapsed, 2),
            "workers_cpu_ms_per_doc": ms(workers_cpu / count),
            "workers_cpu_busy": round(workers_cpu / (elapsed * workers), 2),
            # What the CPU time per document allows with every core free for this work: separates the code's cost
            # from the machine being shared (compare with docs_per_s).
            "cpu_bound_docs_per_s": round((os.cpu_count() or 1) * count / (main_cpu + workers_cpu), 2),
            "render_wait_p50_ms": p50_ms(render_waits),
            "sign_store_record_p50_ms": p50_ms(records),
            "worker_processes_seen": len(worker_cpu),
        },
    }


# --- main -------------------------------------------------------------------------------------------------------------


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batch", type=int, default=1000, help="statements issued through DocumentService.issue")
    parser.add_argument("--in-flight", type=int, default=4, help="issues in progress at once in the batch")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="renderer worker processes")
    parser.add_argument("--runs", type=int, default=20, help="runs of the contract and verification latencies")
    parser.add_argument("--speedup-pairs", type=int, default=30,
                        help="statements rendered with and without the WeasyPrint speedups, alternately")
    parser.add_argument("--rss-renders", type=int, default=300, help="renders measured for the memory growth")
    parser.add_argument("--database", metavar="POSTGRES_URL", default=None,
                        help="record the batch in this PostgreSQL database, dropped and created again (default: a "
                             "fresh SQLite file)")
    args = parser.parse_args()
    if args.database and not args.database.startswith(("postgres://", "postgresql://")):
        parser.error(f"--database: expected a postgres:// or postgresql:// URL, got {args.database!r}")
    result: dict = {
        "bench": "documents",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "load_avg_start": round(os.getloadavg()[0], 2),
        "cpu_probe_ms_start": cpu_probe_ms(),
        "weasyprint_speedups": list(weasyprint_speedups.active()),
    }
    ids = identities(datetime.now(UTC))

    console.print("[bold]contract[/bold]: finding the 2-page size, then render + sign")
    lines, contract, _ = two_page_contract()
    figures = await bench_render_and_sign(DocumentKind.CONTRACT, contract, ids, args.runs)
    assert figures["pages"] == 2
    result |= {"contract_lines": lines, "contract_p50_ms": figures["p50_ms"],
               "contract_render_p50_ms": figures["render_p50_ms"],
               "contract_render_cpu_p50_ms": figures["render_cpu_p50_ms"],
               "contract_sign_p50_ms": figures["sign_p50_ms"]}
    console.print(f"  {lines} lines, 2 pages: {figures}")

    console.print(f"[bold]renderer memory[/bold]: 20 warm-up renders, then {args.rss_renders}")
    rss = bench_rss(contract, 20, args.rss_renders)
    result["rss_growth_mb_per_1000"] = rss["growth_mb_per_1000"]
    result["rss_mb"] = [rss["before_mb"], rss["after_mb"]]
    console.print(f"  {rss}")

    console.print("[bold]statement[/bold]: 500 lines, render + sign, p50 of 3")
    statement = final_context(sample_context(DocumentKind.STATEMENT, lines=500))
    figures = await bench_render_and_sign(DocumentKind.STATEMENT, statement, ids, 3)
    result |= {"statement_500_lines_ms": figures["p50_ms"], "statement_500_lines_pages": figures["pages"],
               "statement_500_lines_sign_ms": figures["sign_p50_ms"]}
    console.print(f"  {figures}")

    console.print(f"[bold]WeasyPrint speedups[/bold]: {args.speedup_pairs} statements of {STATEMENT_LINES} lines "
                  "with them and as many without, alternately")
    speedups = bench_speedups(final_context(sample_context(DocumentKind.STATEMENT, lines=STATEMENT_LINES)),
                              args.speedup_pairs)
    result |= {"statement_render_cpu_p50_ms": speedups["cpu_p50_ms"],
               "statement_render_cpu_pristine_p50_ms": speedups["pristine_cpu_p50_ms"],
               "speedups_cpu_ratio": speedups["cpu_ratio"]}
    console.print(f"  {speedups}")

    console.print("[bold]verification[/bold]: the contract signed by the buyer and countersigned by the supplier")
    result["verify_p50_ms"] = await bench_verify(contract, ids, args.runs)
    console.print(f"  p50 {result['verify_p50_ms']} ms")

    console.print(f"[bold]batch[/bold]: {args.batch} statements of {STATEMENT_LINES} lines through "
                  f"DocumentService.issue, {args.workers} render workers, {args.in_flight} in flight")
    batch = await bench_batch(args.batch, args.in_flight, args.workers, args.database)
    result |= {"batch": args.batch, "batch_database": "postgresql" if args.database else "sqlite",
               "batch_in_flight": args.in_flight, "batch_workers": args.workers,
               "batch_docs_per_s": batch["docs_per_s"], "batch_detail": batch["detail"]}
    console.print(f"  {batch}")
    result["load_avg_end"] = round(os.getloadavg()[0], 2)
    result["cpu_probe_ms_end"] = cpu_probe_ms()
    print(json.dumps(result, separators=(",", ":"), ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
