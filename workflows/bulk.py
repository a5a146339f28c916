"""Inserting many rows at once without building a model object for each (the scheduler writes thousands a second).

Every value is stored as its model field would store it (`to_db_value`). What that takes is decided once per column:
a value already of the column's own type (a `str` within its length, a `UUID`, an aware `datetime`, a member of the
column's enum, a `dict` or `list` for JSON) needs no more than the field would do to it, and everything else goes
through the field itself, which converts it or refuses it with its own error.

On PostgreSQL the rows go in one binary `COPY` on the caller's connection: one statement instead of an `INSERT` per
row, and far less work per row for the server. A unique or foreign key violation raises `IntegrityError` as an
`INSERT` would, and aborts the caller's transaction. Elsewhere the rows go through the `INSERT` Tortoise's
`bulk_create` runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import asyncpg
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.fields import Field
from tortoise.fields.data import (
    BigIntField, BooleanField, CharEnumFieldInstance, CharField, DatetimeField, IntField, JSONField, TextField,
    UUIDField,
)
from tortoise.models import Model
from tortoise.validators import MaxLengthValidator

BATCH = 1000  # rows per statement, where rows go through INSERT

Convert = Callable[[Any], Any]


async def insert_rows(connection: BaseDBAsyncClient, model: type[Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert `rows` (field name -> value; every field the model does not default must be given) into `model`'s
    table, inside the caller's transaction."""
    if not rows:
        return
    fields_map = model._meta.fields_map
    if unknown := set().union(*rows) - fields_map.keys():
        raise ValueError(f"{model.__name__} has no field {', '.join(sorted(unknown))}")
    postgres = connection.capabilities.dialect == "postgres"
    executor = connection.executor_class(model=model, db=connection)
    names = executor.regular_columns_all
    records = list(zip(*(_column(rows, name, fields_map[name], postgres) for name in names)))
    if postgres:
        await _copy(connection, model, [model._meta.fields_db_projection[name] for name in names], records)
        return
    for start in range(0, len(records), BATCH):
        await connection.execute_many(executor.insert_query_all, records[start:start + BATCH])


def _column(rows: Sequence[Mapping[str, Any]], name: str, field: Field, postgres: bool) -> list[Any]:
    """The stored values of one column (the field's default where a row has none)."""
    convert = _converter(field, postgres)
    if all(name in row for row in rows):
        return [convert(row[name]) for row in rows]
    default = field.default
    return [convert(row[name] if name in row else default() if callable(default) else default) for row in rows]


async def _copy(connection: BaseDBAsyncClient, model: type[Model], columns: list[str],
                records: list[tuple[Any, ...]]) -> None:
    """The rows in one binary COPY; the driver's errors become Tortoise's, as for any other statement."""
    try:
        async with connection.acquire_connection() as driver:
            await driver.copy_records_to_table(model._meta.db_table, columns=columns, records=records)
    except asyncpg.IntegrityConstraintViolationError as error:
        raise IntegrityError(error) from error
    except (asyncpg.SyntaxOrAccessError, asyncpg.exceptions.DataError) as error:
        raise OperationalError(error) from error


def _converter(field: Field, postgres: bool) -> Convert:
    """`field.to_db_value`, with a short way for the values that need nothing but a type check."""
    def via_field(value: Any) -> Any:
        return field.to_db_value(value, None)

    return _short_way(field, postgres, via_field) or via_field


def _short_way(field: Field, postgres: bool, via_field: Convert) -> Convert | None:
    """A converter equal to `to_db_value` (`via_field`) for this field, or None when the field has validators it
    would skip. Without validators, the field stores None as None."""
    kind = type(field)
    if kind in (CharField, CharEnumFieldInstance):
        if any(not isinstance(v, MaxLengthValidator) for v in field.validators):
            return None
        max_length = field.max_length
        if kind is CharEnumFieldInstance:
            enum_type = field.enum_type
            stored = {member: str(member.value) for member in enum_type if len(str(member.value)) <= max_length}
            return lambda value: stored[value] if type(value) is enum_type and value in stored else via_field(value)
        return lambda value: value if type(value) is str and len(value) <= max_length else via_field(value)
    if field.validators:
        return None
    if kind is TextField:
        return lambda value: value if value is None or type(value) is str else via_field(value)
    if kind in (IntField, BigIntField):
        return lambda value: value if value is None or type(value) is int else via_field(value)
    if kind is BooleanField:
        return lambda value: value if value is None or type(value) is bool else via_field(value)
    if kind is DatetimeField:
        return lambda value: (value if value is None or (type(value) is datetime and value.tzinfo is not None)
                              else via_field(value))
    if kind is UUIDField:
        # The field stores the text form; the PostgreSQL driver takes the UUID itself for the same column value.
        if postgres:
            return lambda value: value if value is None or type(value) is uuid.UUID else via_field(value)
        return lambda value: str(value) if type(value) is uuid.UUID else via_field(value)
    if kind is JSONField:
        encode = field.encoder
        return lambda value: encode(value) if type(value) in (dict, list) else via_field(value)
    return None
