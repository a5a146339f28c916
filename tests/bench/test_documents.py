"""`bench/documents.py` at a small size: it runs through the production code, prints one JSON line with every figure
the README reports, and records its batch in the database the suite runs on (PostgreSQL when the suite runs there)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import asyncpg

from api.database import drop_postgres_database
from tests.conftest import TEST_DATABASE_URL, on_postgres, sibling_database

ROOT = Path(__file__).resolve().parents[2]


def run_bench(*extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "bench" / "documents.py"), "--batch", "6", "--runs", "2", "--speedup-pairs", "1",
         "--rss-renders", "4", *extra],
        capture_output=True, text=True, timeout=600, cwd=ROOT)


async def test_the_bench_prints_every_figure_on_one_json_line() -> None:
    database = sibling_database(TEST_DATABASE_URL, "bench_documents") if on_postgres() else None
    try:
        result = run_bench(*(["--database", database] if database else []))
        assert result.returncode == 0, result.stderr[-3000:]
        if database:
            connection = await asyncpg.connect(database.replace("postgres://", "postgresql://", 1))
            try:
                assert await connection.fetchval("SELECT count(*) FROM document") == 6
            finally:
                await connection.close()
    finally:
        if database:
            await drop_postgres_database(database)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["bench"] == "documents"
    for name in ("contract_p50_ms", "statement_500_lines_ms", "batch_docs_per_s", "verify_p50_ms",
                 "statement_render_cpu_pristine_p50_ms", "speedups_cpu_ratio"):
        assert figures[name] > 0, name
    assert figures["rss_growth_mb_per_1000"] >= 0
    assert figures["statement_500_lines_pages"] > 2
    assert (figures["batch"], figures["batch_database"]) == (6, "postgresql" if on_postgres() else "sqlite")
    assert figures["batch_detail"]["worker_processes_seen"] >= 1


def test_a_database_that_is_not_postgresql_is_refused_by_name() -> None:
    result = run_bench("--database", "sqlite:///tmp/bench.sqlite3")
    assert result.returncode == 2
    assert "--database: expected a postgres:// or postgresql:// URL, got 'sqlite:///tmp/bench.sqlite3'" in result.stderr
