"""Several scheduler processes at once over thousands of due rows: each action exactly once, none lost when one of
them is killed in the middle. Runs `bench/deadlines.py` (the benchmark's own harness, at a small size) on a database
of its own: PostgreSQL (claims with SKIP LOCKED) when the suite runs there, else an SQLite file (processes take turns).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE_URL, on_postgres, sibling_database

ROOT = Path(__file__).resolve().parents[3]


def scratch_database(tmp_path: Path) -> str:
    if on_postgres():
        return sibling_database(TEST_DATABASE_URL, "scheduler")
    return f"sqlite://{(tmp_path / 'scheduler.sqlite3').as_posix()}"


def run_bench(url: str, *extra: str) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "deadlines.py"), "--database", url, "--open", "6000", "--due", "300",
         "--burst", "3000", "--workers", "3", "--batch", "100", *extra],
        capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kill", [False, True], ids=["all-finish", "one-killed"])
def test_several_scheduler_processes_take_every_action_exactly_once(tmp_path: Path, kill: bool) -> None:
    figures = run_bench(scratch_database(tmp_path), *(["--kill"] if kill else []))
    assert figures["tick_actions"] == 300
    assert figures["duplicate_actions"] == 0
    assert figures["missed_actions"] == 0
    assert figures["killed_one"] is kill
