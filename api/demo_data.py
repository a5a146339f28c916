"""Where `portal demo` and `portal serve --demo` keep their world: the embedded default database of PORTAL_DATA_DIR.

The demo replaces that database (and its signed files and generated master key) with a fresh one, so that every
other command run afterwards with the same PORTAL_DATA_DIR works on the demo world without more configuration:
`portal verify demo-out/contract-HT-2026-0001.pdf`, `portal keys export-ca`, `portal tick`. It never replaces data it
did not make: a demo leaves `DEMO_MARKER` in the data directory, and without that marker a default database holding
any organisation, or a master key file, makes the demo refuse (`DemoRefused`) and change nothing.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from api.documents import DEMO_KEY_FILE
from api.settings import Settings, default_database_url

DEMO_MARKER = "DEMO"
DATABASE_FILE = "portal.sqlite3"


class DemoRefused(RuntimeError):
    """The data directory holds data that the demo did not make; nothing was removed."""


def fresh_demo_settings(settings: Settings) -> Settings:
    """Empty the data directory's embedded database for a demo; the settings that point at it.

    Raises `DemoRefused`, naming the file, when the directory holds data the demo did not make.
    """
    data_dir = settings.data_dir
    database = data_dir / DATABASE_FILE
    marker = data_dir / DEMO_MARKER
    if not marker.exists():
        if _holds_organisations(database):
            raise DemoRefused(
                f"{database} holds data that `portal demo` did not make, and the demo starts from an empty database: "
                "move it away, or give the demo another directory with PORTAL_DATA_DIR")
        if (data_dir / DEMO_KEY_FILE).exists():
            raise DemoRefused(
                f"{data_dir / DEMO_KEY_FILE} is a master key that `portal demo` did not make, and the demo would "
                "replace it: move it away, or give the demo another directory with PORTAL_DATA_DIR")
    for path in (database, database.with_name(f"{DATABASE_FILE}-wal"), database.with_name(f"{DATABASE_FILE}-shm"),
                 data_dir / DEMO_KEY_FILE):
        path.unlink(missing_ok=True)
    shutil.rmtree(settings.files_dir, ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)
    marker.write_text("This directory holds the demo's data (`portal demo`); the next demo replaces it.\n",
                      encoding="utf-8")
    return replace(settings, database_url=default_database_url(data_dir))


def _holds_organisations(database: Path) -> bool:
    """Whether an SQLite database file has any organisation (an empty, merely migrated one has none)."""
    if not database.exists():
        return False
    try:
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return True  # not readable as a database: not ours to remove
    try:
        return connection.execute("SELECT EXISTS (SELECT 1 FROM organization)").fetchone()[0] == 1
    except sqlite3.OperationalError as error:
        return "no such table" not in str(error)
    except sqlite3.DatabaseError:
        return True  # a file that is not an SQLite database
    finally:
        connection.close()
