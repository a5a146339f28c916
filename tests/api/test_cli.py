"""The `portal` command end to end, as a user runs it: a fresh demo, the schema check, configuration errors."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def portal(*args: str, data_dir: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATA_DIR=str(data_dir), COLUMNS="160", **env)
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=ROOT, env=environment, capture_output=True,
                          text=True, timeout=300)


def test_demo_builds_a_fresh_database_and_prints_what_it_created(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = portal("demo", "--out", str(out), data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    for email in ("procurement@buyer.example", "accounting@buyer.example", "admin@buyer.example",
                  "sales@supplier-a.example", "sales@supplier-b.example"):
        assert email in first.stdout
    assert "demo-password" in first.stdout
    assert "purchase orders" in first.stdout and "tenders" in first.stdout
    database = tmp_path / "demo" / "portal.sqlite3"
    db = sqlite3.connect(database)
    try:
        assert db.execute("SELECT count(*) FROM purchase_order").fetchone()[0] >= 50
        assert db.execute("SELECT count(*) FROM tender").fetchone()[0] >= 20
        assert db.execute("SELECT count(*) FROM organization WHERE kind = 'SUPPLIER'").fetchone()[0] >= 3
    finally:
        db.close()
    # A second run starts again from an empty database instead of failing on the first run's rows.
    second = portal("demo", "--out", str(out), data_dir=tmp_path)
    assert second.returncode == 0, second.stderr


def test_schema_check_passes_on_the_committed_schema(tmp_path: Path) -> None:
    result = portal("schema", "--check", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_schema_prints_the_sdl(tmp_path: Path) -> None:
    result = portal("schema", data_dir=tmp_path)
    assert result.returncode == 0
    assert "type Query" in result.stdout and "purchaseOrders(" in result.stdout


def test_a_malformed_setting_is_named_and_nothing_runs(tmp_path: Path) -> None:
    result = portal("migrate", data_dir=tmp_path, PORTAL_ENV="staging")
    assert result.returncode == 2
    assert "PORTAL_ENV" in result.stderr and "Traceback" not in result.stderr
    result = portal("migrate", data_dir=tmp_path, PORTAL_DATABASE_URL="mysql://localhost/portal")
    assert result.returncode == 2
    assert "PORTAL_DATABASE_URL" in result.stderr
    result = portal("migrate", data_dir=tmp_path, PORTAL_SESSION_HOURS="twelve")
    assert result.returncode == 2
    assert "PORTAL_SESSION_HOURS" in result.stderr


def test_an_unknown_command_is_refused_with_usage(tmp_path: Path) -> None:
    result = portal("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert "usage: portal" in result.stderr
