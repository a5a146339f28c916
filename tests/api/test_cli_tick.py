"""`portal tick`, as cron runs it: everything due now, once; a second run at once finds nothing more to do."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.api.test_cli import ROOT, portal


def seed(url: str, due: int) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "deadlines.py"), "--database", url, "--open", str(due + 50), "--due",
         str(due), "--seed-only"], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-2000:]


def test_tick_takes_each_due_action_once_and_says_what_it_did(tmp_path: Path) -> None:
    url = f"sqlite://{(tmp_path / 'tick.sqlite3').as_posix()}"
    seed(url, due=40)
    first = portal("tick", data_dir=tmp_path, PORTAL_DATABASE_URL=url)
    assert first.returncode == 0, first.stderr
    assert "deadline actions: 40 remind" in first.stdout
    assert "no SMTP server configured" not in first.stderr  # queued mail is reported, not an error of the tick
    again = portal("tick", "--quiet", data_dir=tmp_path, PORTAL_DATABASE_URL=url)
    assert again.returncode == 0, again.stderr
    assert "deadline actions: none" in again.stdout


def test_tick_on_an_empty_database_does_nothing_and_succeeds(tmp_path: Path) -> None:
    result = portal("tick", "--quiet", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "tenders closed: none" in result.stdout and "deadline actions: none" in result.stdout
