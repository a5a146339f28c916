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


def test_tick_sweeps_orphaned_files_once_a_day(tmp_path: Path) -> None:
    import os
    import time

    from workflows.documents.storage import LocalFileStore

    store = LocalFileStore(tmp_path / "files")  # PORTAL_DATA_DIR/files, where the portal stores documents
    two_hours_ago = time.time() - 7200

    def orphan(content: bytes, modified: float) -> str:
        key = store.put(content)  # stored as if a crash had come before its row was written
        os.utime(store.path(key), (modified, modified))
        return key

    old, young = orphan(b"%PDF-1.7 old orphan", two_hours_ago), orphan(b"%PDF-1.7 young orphan", time.time())

    first = portal("tick", "--quiet", data_dir=tmp_path)

    assert first.returncode == 0, first.stderr
    assert "1 orphaned file(s) removed" in first.stdout
    assert not store.exists(old) and store.exists(young)  # a young file's row may still be on its way
    later = orphan(b"%PDF-1.7 another old orphan", two_hours_ago)
    again = portal("tick", "--quiet", data_dir=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "orphaned" not in again.stdout and store.exists(later)  # the next sweep is a day away
