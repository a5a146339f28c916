"""The demo's data directory: what a fresh demo removes, and the data it refuses to remove."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from api.demo_data import DEMO_MARKER, DemoRefused, fresh_demo_settings
from api.settings import Settings


def settings_in(data_dir: Path) -> Settings:
    return Settings.from_env({"PORTAL_DATA_DIR": str(data_dir)})


def database_with(path: Path, *organisations: str) -> None:
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE organization (id TEXT PRIMARY KEY, code TEXT)")
    db.executemany("INSERT INTO organization VALUES (?, ?)", [(str(i), code) for i, code in enumerate(organisations)])
    db.commit()
    db.close()


def test_a_first_demo_takes_the_embedded_default_database(tmp_path: Path) -> None:
    settings = fresh_demo_settings(settings_in(tmp_path / "var"))

    assert settings.database_url == f"sqlite://{tmp_path / 'var' / 'portal.sqlite3'}"
    assert settings.data_dir == tmp_path / "var"
    assert (tmp_path / "var" / DEMO_MARKER).is_file()


def test_an_empty_migrated_database_is_replaced(tmp_path: Path) -> None:
    # What `portal verify` or `portal migrate` leave behind before any demo ran: tables, no organisation.
    database_with(tmp_path / "portal.sqlite3")

    fresh_demo_settings(settings_in(tmp_path))

    assert not (tmp_path / "portal.sqlite3").exists()


def test_a_previous_demo_is_removed_whole(tmp_path: Path) -> None:
    (tmp_path / DEMO_MARKER).write_text("demo")
    database_with(tmp_path / "portal.sqlite3", "BUYER", "SUP-A")
    (tmp_path / "portal.sqlite3-wal").write_bytes(b"wal")
    (tmp_path / "master.key").write_text("key")
    (tmp_path / "files" / "ab").mkdir(parents=True)
    (tmp_path / "files" / "ab" / "abcdef").write_bytes(b"%PDF")
    (tmp_path / "unrelated.txt").write_text("stays")

    fresh_demo_settings(settings_in(tmp_path))

    assert sorted(path.name for path in tmp_path.iterdir()) == [DEMO_MARKER, "unrelated.txt"]


@pytest.mark.parametrize("content", ["organisations", "not a database", "master key"])
def test_data_the_demo_did_not_make_is_refused_and_kept(content: str, tmp_path: Path) -> None:
    if content == "organisations":
        database_with(tmp_path / "portal.sqlite3", "BUYER")
        named = tmp_path / "portal.sqlite3"
    elif content == "not a database":
        named = tmp_path / "portal.sqlite3"
        named.write_bytes(b"these are someone's notes, not SQLite" * 100)
    else:
        named = tmp_path / "master.key"
        named.write_text("the key that seals a real deployment's signing keys")
    (tmp_path / "files").mkdir()
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()}

    with pytest.raises(DemoRefused, match=str(named)) as refused:
        fresh_demo_settings(settings_in(tmp_path))

    assert "PORTAL_DATA_DIR" in str(refused.value)
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir() if path.is_file()} == before
    assert (tmp_path / "files").is_dir() and not (tmp_path / DEMO_MARKER).exists()
