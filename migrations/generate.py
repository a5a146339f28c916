"""Generate the next migration for both dialects after a model change, as one committed file.

Applies the committed migrations to a scratch SQLite file and a scratch PostgreSQL database, lets aerich compare each
with the models (`aerich migrate`), and merges the two results with `migrations.dialects`. Each dialect runs in its own
process, because Tortoise keeps one global context per process.

    python -m migrations.generate NAME [--postgres postgres://postgres@127.0.0.1:5432/portal_migration]

The PostgreSQL database named there is dropped and created again. `make migration NAME=...` runs this.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from migrations.dialects import merge

MIGRATIONS_DIR = Path(__file__).resolve().parent
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/portal_migration"


async def generate_one(url: str, location: Path, name: str) -> str:
    """In a scratch copy of the migrations folder: apply what is committed, then write the next migration."""
    from aerich import Command

    from api.database import ensure_sqlite_directory, tortoise_config

    from tortoise import Tortoise

    ensure_sqlite_directory(url)
    command = Command(tortoise_config=tortoise_config(url), app="models", location=str(location))
    try:
        await command.init()
        await command.upgrade(run_in_transaction=True)
        await command.init()  # aerich reads the models' last state from the database when it initialises
        return await command.migrate(name, no_input=True)
    finally:
        await Tortoise.close_connections()  # an open SQLite connection's thread would keep the process alive


def run_dialect(url: str, name: str, scratch: Path) -> Path:
    location = scratch / "migrations"
    shutil.copytree(MIGRATIONS_DIR / "models", location / "models")
    child = subprocess.run(
        [sys.executable, "-m", "migrations.generate", name, "--one", url, "--location", str(location)],
        cwd=MIGRATIONS_DIR.parent, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300,
    )
    if child.returncode != 0:
        raise SystemExit(f"aerich failed on {url.split(':')[0]}:\n{child.stderr[-3000:]}")
    committed = {p.name for p in (MIGRATIONS_DIR / "models").glob("*.py")}
    new = [p for p in (location / "models").glob("*.py") if p.name not in committed]
    if not new:
        raise SystemExit("aerich found no change between the models and the committed migrations")
    return new[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("name", help="a short name for the change, e.g. supplier_indexes")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--location", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(asyncio.run(generate_one(args.one, Path(args.location), args.name)))
        return
    from api.database import recreate_postgres_database

    asyncio.run(recreate_postgres_database(args.postgres))
    with tempfile.TemporaryDirectory(prefix="portal-migration-") as tmp:
        scratch = Path(tmp)
        sqlite_file = run_dialect(f"sqlite://{scratch / 'lite' / 'scratch.sqlite3'}", args.name, scratch / "lite")
        postgres_file = run_dialect(args.postgres, args.name, scratch / "pg")
        out = MIGRATIONS_DIR / "models" / sqlite_file.name
        merge(sqlite_file, postgres_file, out, doc=f"Migration {out.stem}: SQLite and PostgreSQL.")
    print(f"wrote {out.relative_to(MIGRATIONS_DIR.parent)}: review it, then run the migration test")


if __name__ == "__main__":
    main()
