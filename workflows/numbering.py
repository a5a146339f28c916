"""Document numbers (`HT-2026-0001`): one counter per prefix and year, taken under the row's write lock."""

from __future__ import annotations

from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import F

from domain.models import NumberSequence

# The prefixes of the document families (Chinese initials, as buyers and suppliers know them).
PREFIXES = {
    "plan": "JH",  # 计划 production plan
    "tender": "ZB",  # 招标 tender
    "contract": "HT",  # 合同 contract
    "order": "PO",  # purchase order
    "receipt": "SH",  # 收货 goods receipt
    "statement": "DZD",  # 对账单 statement
}


async def reserve_numbers(connection: BaseDBAsyncClient | None, family: str, year: int, count: int = 1) -> list[str]:
    """`count` consecutive unused numbers of `family` for `year`, in the caller's transaction.

    The counter is bumped with one UPDATE before it is read, so the row is write-locked first and two transactions
    can never be handed the same number (on SQLite the write lock is the database's).
    """
    if count < 1:
        raise ValueError("count must be positive")
    connection = connection or connections.get("default")
    prefix = f"{PREFIXES[family]}-{year}"
    updated = await NumberSequence.filter(prefix=prefix).using_db(connection).update(value=F("value") + count)
    if not updated:
        try:
            async with connection._in_transaction() as savepoint:
                await NumberSequence.create(prefix=prefix, value=count, using_db=savepoint)
        except IntegrityError:  # created by a concurrent transaction meanwhile
            await NumberSequence.filter(prefix=prefix).using_db(connection).update(value=F("value") + count)
    row = await NumberSequence.get(prefix=prefix).using_db(connection)
    return [f"{prefix}-{n:04d}" for n in range(row.value - count + 1, row.value + 1)]
