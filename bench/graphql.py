"""GraphQL read latency as a supplier, served by uvicorn the way users start it (`portal serve`).

Builds the demo world enlarged to 1,000 tenders and 10,000 orders, then measures (a) the supplier dashboard (its 50
latest orders with lines, plus its open acknowledgements) and (b) the tender list with lines and the supplier's own
bid: p50 and p99 latency and requests per second at concurrency 1 and 16, and SQL statements per request (counted
in-process, for two page sizes, to show the count does not grow with the page). On SQLite, and on PostgreSQL when one
is reachable. Then (c) mutation latencies in-process over ASGI: a supplier submitting a bid, a supplier confirming an
order (`acknowledge`), accounting recording a goods receipt, each on its own fresh record, p50 and p99, with documents
recorded but no PDF rendered or signed (UnsignedDocuments), so the figures are those of the state changes alone.
Prints one JSON line on stdout; progress goes to stderr.

    .venv/bin/python bench/graphql.py [--databases sqlite,postgres] [--requests 300]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file shares its name with the `graphql` package: keep its own folder off the import path.
ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import tempfile
import time

import httpx
from rich.console import Console

from api.app import create_app  # noqa: E402
from api.database import (  # noqa: E402
    close_database,
    migrate,
    open_database,
    recreate_postgres_database,
    with_database_name,
)
from api.settings import Settings  # noqa: E402
from workflows.demo import DEMO_PASSWORD, DemoScale, build_demo  # noqa: E402

console = Console(stderr=True, highlight=False)
SUPPLIER = "sales@supplier-a.example"
POSTGRES_URL = os.environ.get("PORTAL_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")

DASHBOARD = """
query Dashboard($first: Int!) {
  purchaseOrders(first: $first) {
    edges { node { id number status issuedAt plant total { amount currency }
      lines { lineNo itemCode itemName quantity unit unitPrice { amount } amount { amount } deliveryDate } } }
  }
  acknowledgements(first: 50, filter: {status: [PENDING, OVERDUE, ESCALATED]}) {
    totalCount edges { node { id kind status subjectNumber dueAt overdue escalationLevel } }
  }
}"""

TENDERS = """
query Tenders($first: Int!) {
  tenders(first: $first) {
    edges { node { id number title status closesAt currency
      lines { lineNo itemCode itemName quantity unit requiredBy }
      myBid { status submittedAt total { amount } } } }
  }
}"""

QUERIES = {"dashboard": (DASHBOARD, 50), "tender_list": (TENDERS, 20)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def prepare(url: str, scale: DemoScale) -> None:
    started = time.perf_counter()
    await migrate(url)
    await open_database(url)
    try:
        await build_demo(scale=scale)
    finally:
        await close_database()
    console.print(f"  demo world built in {time.perf_counter() - started:.1f} s")


async def postgres_reachable(url: str) -> bool:
    import asyncpg

    admin_url = with_database_name(url.replace("postgres://", "postgresql://", 1), "postgres")
    try:
        connection = await asyncpg.connect(admin_url, timeout=3)
    except (OSError, asyncpg.PostgresError):
        return False
    await connection.close()
    return True


def serve(url: str, data_dir: Path, port: int) -> subprocess.Popen:
    # The scheduler is off: these are the figures of reading, not of reading while a tick writes.
    env = {**os.environ, "PORTAL_DATABASE_URL": url, "PORTAL_DATA_DIR": str(data_dir), "PORTAL_ENV": "production",
           "PORTAL_SCHEDULER_SECONDS": "0"}
    return subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--quiet", "--port", str(port)], cwd=ROOT,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def wait_healthy(base: str, server: subprocess.Popen) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        for _ in range(300):
            if server.poll() is not None:
                raise RuntimeError(f"the server exited: {server.stderr.read().decode()[-2000:]}")
            try:
                if (await client.get("/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise RuntimeError("the server did not become healthy")


async def login(client: httpx.AsyncClient, email: str = SUPPLIER) -> str:
    response = await client.post("/graphql", json={
        "query": "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }",
        "variables": {"e": email, "p": DEMO_PASSWORD}})
    return response.json()["data"]["login"]["token"]


async def measure(base: str, token: str, query: str, first: int, concurrency: int, requests: int) -> dict:
    body = {"query": query, "variables": {"first": first}}
    headers = {"Authorization": f"Bearer {token}"}
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=60) as client:
        for _ in range(5):  # warm up
            (await client.post("/graphql", json=body)).raise_for_status()
        remaining = requests

        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                started = time.perf_counter()
                response = await client.post("/graphql", json=body)
                latencies.append((time.perf_counter() - started) * 1000)
                payload = response.json()
                if response.status_code != 200 or payload.get("errors"):
                    raise RuntimeError(f"request failed: {str(payload)[:500]}")

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
        "rps": round(len(latencies) / elapsed, 1),
    }


async def sql_per_request(url: str, data_dir: Path, query: str, first: int) -> int:
    """SQL statements one request costs, counted in-process on the same database."""
    import logging

    statements: list[str] = []

    class Counter(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            statements.append(record.getMessage())

    await open_database(url)
    try:
        app = create_app(Settings(env="test", data_dir=data_dir, database_url=url), manage_database=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            token = await login(client)
            body = {"query": query, "variables": {"first": first}}
            headers = {"Authorization": f"Bearer {token}"}
            await client.post("/graphql", json=body, headers=headers)
            logger = logging.getLogger("tortoise.db_client")
            handler, level = Counter(logging.DEBUG), logger.level
            logger.addHandler(handler)
            logger.setLevel(logging.DEBUG)
            try:
                response = await client.post("/graphql", json=body, headers=headers)
            finally:
                logger.removeHandler(handler)
                logger.setLevel(level)
            assert not response.json().get("errors"), response.text[:500]
    finally:
        await close_database()
    return len(statements)


SUBMIT_BID = "mutation($input: SubmitBidInput!) { submitBid(input: $input) { errors { code message } } }"
CONFIRM_ORDER = "mutation($input: AcknowledgeInput!) { acknowledge(input: $input) { errors { code message } } }"
RECORD_RECEIPT = ("mutation($input: RecordGoodsReceiptInput!) { recordGoodsReceipt(input: $input) "
                  "{ errors { code message } } }")


async def _mutation_targets(count: int, clock, documents) -> tuple[list, list]:  # noqa: ANN001
    """`count` published tenders inviting supplier A, and `count` issued orders to it, made by the workflows."""
    from datetime import timedelta
    from decimal import Decimal

    from domain.models import Organization, User
    from workflows.identity import actor_for
    from workflows.ordering import OrderInput, OrderLineInput, issue_purchase_order
    from workflows.tendering import TenderInput, TenderLineInput, create_tender, publish_tender

    staff = actor_for(await User.get(email="procurement@buyer.example").select_related("organization"))
    supplier = await Organization.get(code="SUP-A")
    now = clock.now()
    tenders, orders = [], []
    for index in range(count):
        tender, _ = await create_tender(staff, TenderInput(
            title=f"压测 / bench {index}", closes_at=now + timedelta(days=7),
            lines=(TenderLineInput("BM-001", "压测件 / bench part", Decimal(100)),),
            invited_supplier_ids=(supplier.id,)), clock=clock)
        await publish_tender(staff, tender.id, clock=clock)
        line = await tender.lines.all().first()
        tenders.append((tender.id, line.id))
        order = await issue_purchase_order(staff, OrderInput(
            lines=(OrderLineInput("BM-001", Decimal(100), (now + timedelta(days=14)).date(), Decimal("2.5"),
                                  "压测件 / bench part", "PCS"),), supplier_id=supplier.id), clock=clock,
            documents=documents)
        orders.append(order)
    return tenders, orders


async def mutation_latencies(url: str, data_dir: Path, count: int) -> dict:
    from api.documents import DocumentServices
    from domain.clock import SystemClock
    from domain.models import Acknowledgement
    from workflows.documents.unsigned import unsigned_documents

    await open_database(url)
    try:
        clock, documents = SystemClock(), await unsigned_documents()
        settings = Settings(env="test", data_dir=data_dir, database_url=url)
        tenders, orders = await _mutation_targets(count, clock, documents)
        app = create_app(settings, clock=clock, manage_database=False,
                         documents=DocumentServices(settings, clock, documents))
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            supplier = {"Authorization": f"Bearer {await login(client)}"}
            accounting = {"Authorization": f"Bearer {await login(client, 'accounting@buyer.example')}"}

            async def timed(query: str, variables: dict, headers: dict) -> float:
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": query, "variables": variables},
                                             headers=headers)
                elapsed = (time.perf_counter() - started) * 1000
                payload = response.json()
                errors = payload.get("errors") or next(iter(payload.get("data", {}).values()), {}).get("errors")
                if response.status_code != 200 or errors:
                    raise RuntimeError(f"mutation failed: {str(payload)[:500]}")
                return elapsed

            figures: dict[str, list[float]] = {"submit_bid": [], "confirm_order": [], "record_receipt": []}
            for tender_id, line_id in tenders:
                figures["submit_bid"].append(await timed(SUBMIT_BID, {"input": {
                    "tenderId": str(tender_id), "lines": [{"tenderLineId": str(line_id), "unitPrice": "2.45"}]}},
                    supplier))
            for order in orders:
                ack = await Acknowledgement.get(subject_id=order.id)
                figures["confirm_order"].append(await timed(CONFIRM_ORDER, {"input": {"id": str(ack.id),
                                                                                      "accept": True}}, supplier))
            for order in orders:
                line = await order.lines.all().first()
                figures["record_receipt"].append(await timed(RECORD_RECEIPT, {"input": {
                    "orderId": str(order.id), "lines": [{"orderLineId": str(line.id), "receivedQuantity": "10"}]}},
                    accounting))
    finally:
        await close_database()
    result = {}
    for name, latencies in figures.items():
        latencies.sort()
        result[name] = {"p50_ms": round(statistics.median(latencies), 2),
                        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
                        "requests": len(latencies)}
    return result


async def bench_database(kind: str, url: str, data_dir: Path, scale: DemoScale, requests: int) -> dict:
    console.print(f"[bold]{kind}[/bold]: building the demo world ({scale.tenders} tenders, {scale.orders} orders)")
    await prepare(url, scale)
    figures: dict = {}
    for name, (query, first) in QUERIES.items():
        figures[name] = {
            "sql_per_request": await sql_per_request(url, data_dir, query, first),
            "sql_per_request_page_of_5": await sql_per_request(url, data_dir, query, 5),
        }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = serve(url, data_dir, port)
    try:
        await wait_healthy(base, server)
        async with httpx.AsyncClient(base_url=base) as client:
            token = await login(client)
        for name, (query, first) in QUERIES.items():
            for concurrency in (1, 16):
                console.print(f"  {name}, concurrency {concurrency}: {requests} requests")
                figures[name][f"c{concurrency}"] = await measure(base, token, query, first, concurrency, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    console.print(f"  mutations: {requests} of each, in-process")
    figures["mutations"] = await mutation_latencies(url, data_dir, requests)
    return figures


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=300, help="requests per measurement")
    parser.add_argument("--tenders", type=int, default=1000)
    parser.add_argument("--orders", type=int, default=10000)
    args = parser.parse_args()
    scale = DemoScale(tenders=args.tenders, orders=args.orders)
    result: dict = {
        "bench": "graphql", "tenders": scale.tenders, "orders": scale.orders, "requests": args.requests,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
    }
    kinds = args.databases.split(",")
    if len(kinds) > 1:
        # One process per database: the ORM is initialised once per process, as in a server.
        for kind in kinds:
            child = subprocess.run(
                [sys.executable, __file__, "--databases", kind, "--requests", str(args.requests),
                 "--tenders", str(args.tenders), "--orders", str(args.orders)],
                stdout=subprocess.PIPE, text=True, check=True)
            result.update({k: v for k, v in json.loads(child.stdout).items() if k == kind})
        print(json.dumps(result, separators=(",", ":")))
        return
    with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
        data_dir = Path(tmp)
        for kind in kinds:
            if kind == "sqlite":
                url = f"sqlite://{data_dir / 'bench.sqlite3'}"
            elif kind == "postgres":
                if not await postgres_reachable(POSTGRES_URL):
                    console.print(f"PostgreSQL is not reachable at {POSTGRES_URL}: skipped")
                    continue
                await recreate_postgres_database(POSTGRES_URL)
                url = POSTGRES_URL
            else:
                parser.error(f"unknown database {kind!r}: use sqlite and/or postgres")
            result[kind] = await bench_database(kind, url, data_dir, scale, args.requests)
    print(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    asyncio.run(main())
