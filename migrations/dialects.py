"""Merge the migration aerich generates on SQLite with the one it generates on PostgreSQL into one file.

aerich writes a migration as SQL for the database it was generated against. The portal runs on both, so every committed
migration carries both texts and its `upgrade(db)` returns the one for the connected dialect. Generate the pair with
`aerich migrate` against each database, then merge them with this module; `migrations/generate.py` does all three.

    python -m migrations.dialects SQLITE_FILE POSTGRES_FILE OUT_FILE
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

TEMPLATE = '''"""{doc}"""

from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True

UPGRADE = {{
    "sqlite": {sqlite_up},
    "postgres": {postgres_up},
}}

DOWNGRADE = {{
    "sqlite": {sqlite_down},
    "postgres": {postgres_down},
}}


async def upgrade(db: BaseDBAsyncClient) -> str:
    return UPGRADE[db.capabilities.dialect]


async def downgrade(db: BaseDBAsyncClient) -> str:
    return DOWNGRADE[db.capabilities.dialect]


MODELS_STATE = {models_state}
'''


def returned_sql(tree: ast.Module, function: str) -> str:
    """The string literal that `function` returns in an aerich migration."""
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and node.name == function:
            for statement in node.body:
                if isinstance(statement, ast.Return) and isinstance(statement.value, ast.Constant):
                    return statement.value.value
    raise ValueError(f"no literal `return` in {function}()")


def literal(sql: str) -> str:
    """A triple-quoted literal of `sql`, readable in review and equal to it when evaluated."""
    return '"""' + sql.replace("\\", "\\\\").replace('"""', '\\"\\"\\"') + '"""'


def models_state(tree: ast.Module) -> str:
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "MODELS_STATE":
            return ast.unparse(node.value)
    raise ValueError("no MODELS_STATE")


def merge(sqlite_file: Path, postgres_file: Path, out_file: Path, doc: str) -> None:
    lite = ast.parse(sqlite_file.read_text(encoding="utf-8"))
    pg = ast.parse(postgres_file.read_text(encoding="utf-8"))
    text = TEMPLATE.format(
        doc=doc,
        sqlite_up=literal(returned_sql(lite, "upgrade")),
        postgres_up=literal(returned_sql(pg, "upgrade")),
        sqlite_down=literal(returned_sql(lite, "downgrade")),
        postgres_down=literal(returned_sql(pg, "downgrade")),
        models_state=models_state(lite),
    )
    out_file.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sqlite_path, postgres_path, out_path = map(Path, sys.argv[1:])
    merge(sqlite_path, postgres_path, out_path, doc=f"Migration {out_path.stem}: SQLite and PostgreSQL.")
    print(f"wrote {out_path}")
