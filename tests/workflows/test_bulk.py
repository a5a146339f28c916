"""`insert_rows` stores rows exactly as model objects would be stored, refuses what a model would refuse, and a
violated constraint fails the caller's transaction as a whole (a binary COPY on PostgreSQL, INSERTs on SQLite)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError, ValidationError
from tortoise.transactions import in_transaction

from domain.enums import OutboxChannel, OutboxStatus
from domain.ids import new_id
from domain.models import AuditEvent, Notification, OutboxMessage, User
from tests.support import procurement as p
from workflows.bulk import BATCH, insert_rows
from workflows.deadlines.calendar import BUYER_TIME_ZONE

pytestmark = pytest.mark.usefixtures("demo")

AT = datetime(2020, 2, 3, 4, 5, 6, 789000, tzinfo=UTC)
OUTBOX_COLUMNS = ("channel", "recipient", "endpoint_id", "payload", "status", "attempts", "next_attempt_at",
                  "last_error", "sent_at", "created_at")


async def stored(table: str, columns: tuple[str, ...], row_id: uuid.UUID) -> dict:
    """A row as the database holds it (JSON as text, times as the driver reads them), read without the models."""
    connection = connections.get("default")
    postgres = connection.capabilities.dialect == "postgres"
    rows = await connection.execute_query_dict(
        f"SELECT {', '.join(columns)} FROM {table} WHERE id = {'$1' if postgres else '?'}",
        [row_id if postgres else str(row_id)])
    return rows[0]


async def test_rows_are_stored_as_the_models_store_them() -> None:
    payload = {"to": "维修@example.cn", "subject": "提醒 / Reminder", "lines": [1, 2.5, None, True], "nested": {"a": []}}
    values = {"channel": OutboxChannel.EMAIL, "recipient": "维修@example.cn", "payload": payload,
              "next_attempt_at": AT, "created_at": AT}
    model = await OutboxMessage.create(idempotency_key=f"bulk-model:{new_id()}", **values)
    bulk_id = new_id()
    async with in_transaction() as connection:
        await insert_rows(connection, OutboxMessage, [{"id": bulk_id, "idempotency_key": f"bulk:{bulk_id}", **values}])
    assert await stored("outbox_message", OUTBOX_COLUMNS, bulk_id) == \
        await stored("outbox_message", OUTBOX_COLUMNS, model.id)
    row = await OutboxMessage.get(id=bulk_id)
    assert (row.channel, row.status, row.attempts, row.last_error, row.sent_at, row.endpoint_id) == \
        (OutboxChannel.EMAIL, OutboxStatus.PENDING, 0, "", None, None)  # the models' defaults
    assert row.payload == payload and row.next_attempt_at == AT and row.created_at == AT


async def test_values_of_another_type_are_converted_as_the_field_converts_them() -> None:
    user = await User.get(email=p.SUPPLIER_A)
    subject = uuid.uuid4()
    typed = {"user_id": user.id, "kind": "acknowledgement.reminder", "title": "提醒", "subject_type": "PurchaseOrder",
             "subject_id": subject, "created_at": AT}
    loose = {**typed, "user_id": str(user.id), "subject_id": str(subject), "created_at": AT.astimezone(BUYER_TIME_ZONE)}
    ids = [new_id(), new_id()]
    async with in_transaction() as connection:
        await insert_rows(connection, Notification, [
            {"id": ids[0], "key": f"bulk:{ids[0]}", **typed}, {"id": ids[1], "key": f"bulk:{ids[1]}", **loose}])
    typed_row, loose_row = [await Notification.get(id=i) for i in ids]
    for field in ("user_id", "kind", "title", "body", "subject_type", "subject_id", "read_at", "created_at"):
        assert getattr(typed_row, field) == getattr(loose_row, field), field

    event = {"id": new_id(), "seq": 10**12, "created_at": AT, "action": "bulk.test", "subject_type": "Test",
             "data": '{"amount": "12.50"}', "prev_hash": "0" * 64, "hash": uuid.uuid4().hex * 2}
    async with in_transaction() as connection:
        await insert_rows(connection, AuditEvent, [event])
    assert (await AuditEvent.get(id=event["id"])).data == {"amount": "12.50"}  # JSON text is stored as it is
    await AuditEvent.filter(id=event["id"]).delete()


async def test_what_a_model_would_refuse_is_refused_and_nothing_is_written() -> None:
    user = await User.get(email=p.SUPPLIER_A)
    good = {"id": new_id(), "user_id": user.id, "kind": "k", "title": "fine", "key": f"bulk:{new_id()}",
            "created_at": AT}
    too_long = {**good, "id": new_id(), "title": "x" * 201, "key": f"bulk:{new_id()}"}
    with pytest.raises(ValidationError):
        async with in_transaction() as connection:
            await insert_rows(connection, Notification, [good, too_long])
    with pytest.raises(ValueError, match="no field colour"):
        async with in_transaction() as connection:
            await insert_rows(connection, Notification, [{**good, "colour": "red"}])
    with pytest.raises(ValueError, match="FAX"):  # what the enum field raises for a value outside its enum
        async with in_transaction() as connection:
            await insert_rows(connection, OutboxMessage, [{
                "channel": "FAX", "idempotency_key": f"bulk:{new_id()}", "recipient": "a@b.example", "payload": {},
                "created_at": AT}])
    assert not await Notification.filter(id=good["id"]).exists()


async def test_a_duplicate_key_fails_the_whole_transaction_with_an_integrity_error() -> None:
    user = await User.get(email=p.SUPPLIER_A)
    taken = f"bulk:taken:{new_id()}"
    await Notification.create(user=user, kind="k", title="first", key=taken, created_at=AT)
    written_first = new_id()
    with pytest.raises(IntegrityError):
        async with in_transaction() as connection:
            await insert_rows(connection, Notification, [
                {"id": written_first, "user_id": user.id, "kind": "k", "title": "t", "key": f"bulk:{written_first}",
                 "created_at": AT}])
            await insert_rows(connection, Notification, [
                {"id": new_id(), "user_id": user.id, "kind": "k", "title": "t", "key": f"bulk:{new_id()}",
                 "created_at": AT},
                {"id": new_id(), "user_id": user.id, "kind": "k", "title": "again", "key": taken, "created_at": AT}])
    assert not await Notification.filter(id=written_first).exists()  # rolled back with the rest
    assert await Notification.filter(key=taken).values_list("title", flat=True) == ["first"]


async def test_many_rows_at_once() -> None:
    user = await User.get(email=p.SUPPLIER_A)
    rows = [{"id": new_id(), "user_id": user.id, "kind": "bulk.many", "title": f"n{i}", "key": f"bulk:{new_id()}",
             "created_at": AT + timedelta(seconds=i)} for i in range(BATCH * 2 + 7)]
    async with in_transaction() as connection:
        await insert_rows(connection, Notification, rows)
        await insert_rows(connection, Notification, [])
    assert await Notification.filter(kind="bulk.many").count() == len(rows)
    await Notification.filter(kind="bulk.many").delete()
