"""Inserting many rows at once without building a model object for each (the scheduler writes thousands a second).

Values go through each field's own `to_db_value`, and the statement is the one Tortoise's `bulk_create` would run, so
the rows are stored exactly as model objects would be; only the per-object bookkeeping is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.models import Model

BATCH = 1000


async def insert_rows(connection: BaseDBAsyncClient, model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (field name -> value; every field the model does not default must be given) into `model`'s
    table, inside the caller's transaction."""
    if not rows:
        return
    executor = connection.executor_class(model=model, db=connection)
    fields_map = model._meta.fields_map
    columns = executor.regular_columns_all
    defaults = {name: fields_map[name].default for name in columns}
    values = []
    for row in rows:
        unknown = row.keys() - fields_map.keys()
        if unknown:
            raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
        line = []
        for name in columns:
            value = row[name] if name in row else defaults[name]
            if callable(value):
                value = value()
            line.append(fields_map[name].to_db_value(value, None))
        values.append(line)
    for start in range(0, len(values), BATCH):
        await connection.execute_many(executor.insert_query_all, values[start:start + BATCH])
