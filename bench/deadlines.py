"""The deadline scheduler at scale: one tick over a large table, then several processes at once, counting every action.

1. Seeds `--open` open acknowledgements (default 1,000,000) of which `--due` (default 1,000) have a reminder due now,
   and times one scheduler run over them (`tick_ms_<due>_due_of_<open>`): the due rows are found through the index on
   (status, next_action_at), never by a scan.
2. Makes `--burst` more rows due (default 10,000) and starts `--workers` scheduler processes at once (default 4), each
   running the same code as `portal tick`. Afterwards it counts, from the database, the rows reminded twice
   (`duplicate_actions`) and the rows not reminded (`missed_actions`), and `actions_per_s` over the wall time from the
   first process starting to the last one finishing. With `--kill`, one process is killed (SIGKILL) in the middle and
   one more run finishes the work: the counts must still be zero.

Every due row needs exactly one action (its first reminder), so the expected count is known. On PostgreSQL
(`PORTAL_DATABASE_URL`, or `--database`; the database is dropped and created again) rows are claimed with
`FOR UPDATE SKIP LOCKED`; on SQLite the processes take turns. Prints one JSON line on stdout; progress on stderr.

    PORTAL_DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench_deadlines .venv/bin/python bench/deadlines.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

from rich.console import Console  # noqa: E402

console = Console(stderr=True, highlight=False)
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench_deadlines"
SUPPLIERS = 100
BURST_PREFIX = "BURST-"


def log(message: str) -> None:
    console.print(f"[dim]{time.strftime('%H:%M:%S')}[/dim] {message}")


# -- the world ---------------------------------------------------------------------------------------------------------

async def seed_parties() -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A buyer with an owner (whose manager is the admin) and SUPPLIERS suppliers of one user each."""
    from domain.enums import OrgKind, QualificationStatus, Role
    from domain.models import Organization, User

    buyer = await Organization.create(kind=OrgKind.BUYER, code="BUYER", name_zh="买方", name_en="Buyer")
    admin = await User.create(email="admin@buyer.example", display_name="Admin", organization=buyer,
                              roles=[Role.ADMIN.value])
    owner = await User.create(email="procurement@buyer.example", display_name="Owner", organization=buyer,
                              roles=[Role.PROCUREMENT.value], manager=admin)
    suppliers = [Organization(kind=OrgKind.SUPPLIER, code=f"SUP-{i:03d}", name_zh=f"供应商{i}", name_en=f"Supplier {i}",
                              qualification_status=QualificationStatus.QUALIFIED) for i in range(SUPPLIERS)]
    await Organization.bulk_create(suppliers)
    await User.bulk_create([User(email=f"sales@sup-{i:03d}.example", display_name=f"Sales {i}", organization_id=org.id,
                                 roles=[Role.SUPPLIER_ADMIN.value]) for i, org in enumerate(suppliers)])
    return owner.id, [org.id for org in suppliers]


def _is_postgres(url: str) -> bool:
    return url.startswith(("postgres://", "postgresql://"))


async def seed_acknowledgements(url: str, owner: uuid.UUID, suppliers: list[uuid.UUID], total: int, due: int,
                                now: datetime) -> None:
    """`total` open purchase-order acknowledgements; the first `due` have their first reminder due at `now`.

    A due row was sent 38 h ago and is due in 10 h: its 24-hour reminder has come, its 2-hour one has not. The others
    were sent just now and are due in two days: nothing is due before tomorrow."""
    if _is_postgres(url) and total > 20_000:
        from tortoise import connections

        connection = connections.get("default")
        await connection.execute_query(
            """
            INSERT INTO acknowledgement (id, kind, subject_type, subject_id, subject_number, supplier_id, owner_id,
                                         status, due_at, escalation_level, reminders_sent, next_action_at,
                                         rejection_reason, created_at, updated_at)
            SELECT gen_random_uuid(), 'PURCHASE_ORDER', 'PurchaseOrder', gen_random_uuid(), 'PO-BENCH-' || i,
                   ($3::uuid[])[1 + i % array_length($3::uuid[], 1)], $2::uuid, 'PENDING',
                   CASE WHEN i <= $4 THEN $1::timestamptz + interval '10 hours'
                        ELSE $1::timestamptz + interval '48 hours' + i * interval '1 second' END,
                   0, 0,
                   CASE WHEN i <= $4 THEN $1::timestamptz - interval '1 minute'
                        ELSE $1::timestamptz + interval '24 hours' + i * interval '1 second' END,
                   '', CASE WHEN i <= $4 THEN $1::timestamptz - interval '38 hours' ELSE $1::timestamptz END, $1
              FROM generate_series(1, $5::int) AS i
            """, [now, owner, suppliers, due, total])
        # A table of a million rows in service has been vacuumed: do it now rather than let autovacuum wake up
        # for the fresh rows in the middle of the measurement.
        await connection.execute_script("VACUUM ANALYZE acknowledgement")
        return
    from domain.enums import AcknowledgementKind, AcknowledgementStatus
    from domain.models import Acknowledgement

    rows = []
    for i in range(1, total + 1):
        is_due = i <= due
        rows.append(Acknowledgement(
            kind=AcknowledgementKind.PURCHASE_ORDER, subject_type="PurchaseOrder", subject_id=uuid.uuid4(),
            subject_number=f"PO-BENCH-{i}", supplier_id=suppliers[i % len(suppliers)], owner_id=owner,
            status=AcknowledgementStatus.PENDING,
            due_at=now + (timedelta(hours=10) if is_due else timedelta(hours=48, seconds=i)),
            next_action_at=now - timedelta(minutes=1) if is_due else now + timedelta(hours=24, seconds=i),
            created_at=now - timedelta(hours=38) if is_due else now))
    await Acknowledgement.bulk_create(rows, batch_size=1000)


async def make_burst_due(count: int, now: datetime) -> None:
    """Make `count` not-yet-due rows due now, marked BURST- so they can be counted afterwards."""
    from domain.models import Acknowledgement

    ids = await Acknowledgement.filter(reminders_sent=0, next_action_at__gt=now).order_by(
        "next_action_at").limit(count).values_list("id", flat=True)
    for start in range(0, len(ids), 5000):  # marked in a column the scheduler leaves alone, to count them later
        await Acknowledgement.filter(id__in=ids[start:start + 5000]).update(
            due_at=now + timedelta(hours=10), next_action_at=now - timedelta(minutes=1),
            created_at=now - timedelta(hours=38), rejection_reason=BURST_PREFIX)


async def count_burst() -> tuple[int, int]:
    """(rows of the burst reminded at least once, reminder events recorded for the burst's rows)."""
    from tortoise import connections

    connection = connections.get("default")
    rows = await connection.execute_query_dict(
        "SELECT count(*) AS n FROM acknowledgement WHERE rejection_reason = $1 AND reminders_sent >= 1"
        if _dialect() == "postgres" else
        "SELECT count(*) AS n FROM acknowledgement WHERE rejection_reason = ? AND reminders_sent >= 1",
        [BURST_PREFIX])
    events = await connection.execute_query_dict(
        ("SELECT count(*) AS n FROM audit_event e JOIN acknowledgement a ON a.id = e.subject_id "
         "WHERE e.action = 'acknowledgement.remind' AND a.rejection_reason = ")
        + ("$1" if _dialect() == "postgres" else "?"), [BURST_PREFIX])
    return int(rows[0]["n"]), int(events[0]["n"])


def _dialect() -> str:
    from tortoise import connections

    return connections.get("default").capabilities.dialect


# -- the worker process ------------------------------------------------------------------------------------------------

async def worker(url: str, batch: int, ready: Path, go: Path) -> None:
    """One scheduler process: connect, say it is ready, wait for the start, run every due action, print its counts."""
    from api.database import close_database, open_database
    from api.scheduler import settle_tick_process
    from domain.clock import SystemClock
    from workflows.deadlines.escalation import run_deadlines

    await open_database(url)
    settle_tick_process()  # as `portal tick` starts: the figures are those of its steady state
    try:
        ready.touch()
        while not go.exists():
            await asyncio.sleep(0.01)
        started = time.time()
        report = await run_deadlines(SystemClock(), batch_size=batch)
        print(json.dumps({"actions": report.total, "rows": report.rows, "started": started, "finished": time.time(),
                          "failed": len(report.failed)}), flush=True)
    finally:
        await close_database()


def run_workers(url: str, count: int, batch: int, kill_one: bool) -> dict:
    """Start `count` workers, release them together, optionally kill one mid-run; their figures."""
    folder = Path(tempfile.mkdtemp(prefix="portal-bench-deadlines-"))
    go = folder / "go"
    processes = []
    for index in range(count):
        ready = folder / f"ready-{index}"
        processes.append((ready, subprocess.Popen(
            [sys.executable, __file__, "--worker", "--database", url, "--batch", str(batch), "--ready", str(ready),
             "--go", str(go)], stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})))
    while not all(ready.exists() for ready, _ in processes):
        if any(p.poll() is not None for _, p in processes):
            raise SystemExit("a worker died before starting: " + " ".join(str(p.returncode) for _, p in processes))
        time.sleep(0.05)
    go.touch()
    killed = None
    if kill_one:
        time.sleep(0.3)
        victim = processes[0][1]
        if victim.poll() is None:
            victim.send_signal(signal.SIGKILL)
            killed = victim.pid
    results = []
    for _, process in processes:
        out, _ = process.communicate(timeout=3600)
        if process.pid == killed:
            continue
        if process.returncode != 0:
            raise SystemExit(f"a worker failed with exit code {process.returncode}")
        results.append(json.loads(out.strip().splitlines()[-1]))
    return {"results": results, "killed": killed}


# -- the benchmark -----------------------------------------------------------------------------------------------------

async def prepare(url: str, total: int, due: int) -> datetime:
    from api.database import migrate, open_database, recreate_postgres_database

    if _is_postgres(url):
        await recreate_postgres_database(url)
    else:
        Path(url[len("sqlite://"):]).unlink(missing_ok=True)
    await migrate(url)
    await open_database(url)
    now = datetime.now(UTC)
    log(f"seeding {total:,} open acknowledgements, {due:,} due")
    owner, suppliers = await seed_parties()
    await seed_acknowledgements(url, owner, suppliers, total, due, now)
    return now


async def timed_tick(due: int) -> tuple[float, int]:
    from api.scheduler import settle_tick_process
    from domain.clock import SystemClock
    from workflows.deadlines.escalation import run_deadlines

    settle_tick_process()
    started = time.perf_counter()
    report = await run_deadlines(SystemClock())
    elapsed = (time.perf_counter() - started) * 1000
    if report.total != due:
        log(f"[red]the tick took {report.total} actions, expected {due}[/red]")
    return elapsed, report.total


async def main(args: argparse.Namespace) -> dict:
    from api.database import close_database, open_database

    url = args.database
    try:
        await prepare(url, args.open, args.due)
        if args.seed_only:
            return {"seeded": args.open, "due": args.due}
        log(f"one tick over {args.due:,} due of {args.open:,}")
        tick_ms, tick_actions = await timed_tick(args.due)
        log(f"tick: {tick_ms:.0f} ms for {tick_actions} actions")
        now = datetime.now(UTC)
        await make_burst_due(args.burst, now)
    finally:
        await close_database()
    log(f"{args.workers} scheduler processes over {args.burst:,} due actions" + (", killing one" if args.kill else ""))
    run = run_workers(url, args.workers, args.batch, args.kill)
    results = run["results"]
    started = min(r["started"] for r in results)
    finished = max(r["finished"] for r in results)
    await open_database(url)
    try:
        finishing = None
        if run["killed"] is not None:
            from domain.clock import SystemClock
            from workflows.deadlines.escalation import run_deadlines

            finishing = (await run_deadlines(SystemClock())).total  # what the killed process left undone
            log(f"killed one process; one more run took the {finishing} action(s) it left")
        reminded, events = await count_burst()
    finally:
        await close_database()
    performed = sum(r["actions"] for r in results) + (finishing or 0)
    figures = {
        f"tick_ms_{args.due}_due_of_{args.open}": round(tick_ms, 1),
        "tick_actions": tick_actions,
        "duplicate_actions": max(events - reminded, performed - reminded) if run["killed"] is None
        else events - reminded,
        "missed_actions": args.burst - reminded,
        "actions_per_s": round(sum(r["actions"] for r in results) / max(finished - started, 1e-9)),
        "workers": args.workers,
        "burst": args.burst,
        "killed_one": run["killed"] is not None,
        "database": "postgresql" if _is_postgres(url) else "sqlite",
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    return figures


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=os.environ.get("PORTAL_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--open", type=int, default=1_000_000, help="open acknowledgements")
    parser.add_argument("--due", type=int, default=1_000, help="of which due at the timed tick")
    parser.add_argument("--burst", type=int, default=10_000, help="due actions for the processes")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch", type=int, default=500, help="rows per transaction")
    parser.add_argument("--kill", action="store_true", help="kill one process mid-run")
    parser.add_argument("--seed-only", action="store_true", help="only build the database (for `portal tick` tests)")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ready", help=argparse.SUPPRESS)
    parser.add_argument("--go", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    arguments = parse()
    if arguments.worker:
        asyncio.run(worker(arguments.database, arguments.batch, Path(arguments.ready), Path(arguments.go)))
    else:
        print(json.dumps(asyncio.run(main(arguments))), flush=True)
