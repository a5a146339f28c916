"""The committed migrations build exactly the database the models describe, on SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from api.database import drop_postgres_database, recreate_postgres_database, with_database_name
from tests.conftest import TEST_DATABASE_URL, on_postgres

ROOT = Path(__file__).resolve().parents[2]
PORTAL = [sys.executable, "-m", "api.cli"]
GENERATE = """
import asyncio, sys
from tortoise import Tortoise
from api.database import tortoise_config, ensure_sqlite_directory

async def main(url):
    ensure_sqlite_directory(url)
    await Tortoise.init(config=tortoise_config(url))
    await Tortoise.generate_schemas()
    await Tortoise.close_connections()

asyncio.run(main(sys.argv[1]))
"""


def run(args: list[str], url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PORTAL_DATABASE_URL": url}
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def sqlite_shape(path: Path) -> dict:
    """Tables, columns, indexes and foreign keys of an SQLite file, without aerich's own table."""
    db = sqlite3.connect(path)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'aerich'")]
        shape = {}
        for table in sorted(tables):
            columns = sorted((r[1], r[2].upper(), r[3], r[5], r[4]) for r in db.execute(f'PRAGMA table_info("{table}")'))
            indexes = sorted(
                (bool(r[2]), tuple(c[2] for c in db.execute(f'PRAGMA index_info("{r[1]}")')))
                for r in db.execute(f'PRAGMA index_list("{table}")')
            )
            foreign_keys = sorted((r[3], r[2], r[4], r[6]) for r in db.execute(f'PRAGMA foreign_key_list("{table}")'))
            shape[table] = {"columns": columns, "indexes": indexes, "foreign_keys": foreign_keys}
        return shape
    finally:
        db.close()


async def postgres_shape(url: str) -> dict:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        columns = await connection.fetch(
            "SELECT table_name, column_name, data_type, is_nullable, column_default, character_maximum_length, "
            "numeric_precision, numeric_scale FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name != 'aerich'")
        indexes = await connection.fetch(
            "SELECT tablename, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename != 'aerich'")
        constraints = await connection.fetch(
            "SELECT c.conrelid::regclass::text AS table_name, c.contype, pg_get_constraintdef(c.oid) AS definition "
            "FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public' "
            "AND c.conrelid::regclass::text != 'aerich'")
    finally:
        await connection.close()
    shape: dict = {}
    for row in columns:
        shape.setdefault(row["table_name"], {"columns": [], "indexes": [], "constraints": []})["columns"].append(
            tuple(row.values())[1:])
    for row in indexes:
        # Index names are generated; compare what they index.
        shape[row["tablename"]]["indexes"].append(row["indexdef"].split(" ON ", 1)[1])
    for row in constraints:
        shape[row["table_name"].strip('"')]["constraints"].append((row["contype"], row["definition"]))
    return {table: {key: sorted(value, key=str) for key, value in parts.items()} for table, parts in shape.items()}


async def _postgres_database(name: str) -> str:
    url = with_database_name(TEST_DATABASE_URL, name)
    await recreate_postgres_database(url)
    return url


@pytest.mark.skipif(on_postgres(), reason="the SQLite variant; the PostgreSQL one runs when the suite runs there")
def test_sqlite_built_by_migrations_matches_the_models(tmp_path: Path) -> None:
    migrated, generated = tmp_path / "migrated.sqlite3", tmp_path / "generated.sqlite3"
    result = run(PORTAL + ["migrate"], f"sqlite://{migrated}")
    assert result.returncode == 0, result.stderr
    assert "applied" in result.stdout
    result = run([sys.executable, "-c", GENERATE, f"sqlite://{generated}"], "")
    assert result.returncode == 0, result.stderr
    migrated_shape, generated_shape = sqlite_shape(migrated), sqlite_shape(generated)
    assert set(migrated_shape) == set(generated_shape)
    for table in generated_shape:
        assert migrated_shape[table] == generated_shape[table], table


@pytest.mark.skipif(not on_postgres(), reason="needs PORTAL_TEST_DATABASE_URL pointing at PostgreSQL")
async def test_postgres_built_by_migrations_matches_the_models() -> None:
    suffix = uuid.uuid4().hex[:8]
    migrated = await _postgres_database(f"portal_migrated_{suffix}")
    generated = await _postgres_database(f"portal_generated_{suffix}")
    try:
        result = run(PORTAL + ["migrate"], migrated)
        assert result.returncode == 0, result.stderr
        result = run([sys.executable, "-c", GENERATE, generated], "")
        assert result.returncode == 0, result.stderr
        migrated_shape, generated_shape = await postgres_shape(migrated), await postgres_shape(generated)
        assert set(migrated_shape) == set(generated_shape)
        for table in generated_shape:
            assert migrated_shape[table] == generated_shape[table], table
    finally:
        await drop_postgres_database(migrated)
        await drop_postgres_database(generated)


def test_migrate_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'twice.sqlite3'}"
    first, second = run(PORTAL + ["migrate"], url), run(PORTAL + ["migrate"], url)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert "applied" in first.stdout
    assert "up to date" in second.stdout


def test_migrated_database_uses_wal_and_has_the_audit_chain_head(tmp_path: Path) -> None:
    path = tmp_path / "wal.sqlite3"
    assert run(PORTAL + ["migrate"], f"sqlite://{path}").returncode == 0
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT seq, hash FROM audit_chain_head WHERE id = 1").fetchone() == (0, "0" * 64)
    finally:
        db.close()
