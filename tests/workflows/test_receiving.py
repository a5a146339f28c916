"""Goods receipts through the workflows: recording, tolerance, closing a fully received order, concurrency, and the
CSV import (all rows or none)."""

from __future__ import annotations

import asyncio
import os
import sys
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from subprocess import PIPE

import pytest

from domain.enums import OrderStatus
from domain.errors import DomainError
from domain.models import AuditEvent, GoodsReceipt, GoodsReceiptLine, PurchaseOrder, PurchaseOrderLine
from tests.support import procurement as p
from workflows import receiving
from workflows.deadlines.calendar import BUYER_TIME_ZONE
from workflows.receipt_import import import_receipts

pytestmark = pytest.mark.usefixtures("demo")

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def documents() -> p.UnsignedDocuments:
    return await p.unsigned_documents()


async def lines_of(order: PurchaseOrder) -> list[PurchaseOrderLine]:
    return await PurchaseOrderLine.filter(order_id=order.id).order_by("line_no")


async def receive(order: PurchaseOrder, *quantities: tuple[int | str, int | str], email: str = p.ACCOUNTING,
                  key: str | None = None, **changes) -> GoodsReceipt:  # noqa: ANN003
    """Receive (received, rejected) on the order's lines, in order."""
    lines = await lines_of(order)
    data = receiving.ReceiptInput(order.id, tuple(
        receiving.ReceiptLineInput(line.id, Decimal(received), Decimal(rejected))
        for line, (received, rejected) in zip(lines, quantities, strict=False)), **changes)
    return await receiving.record_goods_receipt(await p.actor(email), data, clock=p.clock(), idempotency_key=key)


async def test_receipts_count_what_was_accepted_and_close_the_order_when_all_is_in(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(100, 40))
    receipt = await receive(order, (60, 0), (40, 4), note="第一批 / first delivery")
    assert receipt.number.startswith("SH-") and receipt.supplier_id == order.supplier_id
    assert receipt.plant == order.plant and receipt.note == "第一批 / first delivery"
    assert await GoodsReceiptLine.filter(receipt=receipt).count() == 2
    assert [l.received_quantity for l in await lines_of(order)] == [Decimal(60), Decimal(36)]
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CONFIRMED
    event = await AuditEvent.get(subject_id=receipt.id)
    assert event.action == "goodsReceipt.record" and event.data["order"] == order.number
    # The 4 rejected are owed again: the replacement delivery fills the line, and the order closes.
    await receive(order, (40, 0), (4, 0), email=p.PROCUREMENT)
    closed = await PurchaseOrder.get(id=order.id)
    assert closed.status == OrderStatus.CLOSED and closed.closed_at is not None
    assert await AuditEvent.filter(subject_id=order.id, action="purchaseOrder.close").count() == 1
    with pytest.raises(DomainError) as after:
        await receive(order, (1, 0))
    assert (after.value.code, after.value.field) == ("ORDER_NOT_CONFIRMED", "orderId")


async def test_a_receipt_beyond_the_tolerance_is_refused(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(100, 10))
    await receive(order, (100, 0))
    with pytest.raises(DomainError) as refused:
        await receive(order, (6, 0))
    error = refused.value
    assert (error.code, error.field) == ("OVER_TOLERANCE", "lines[0].receivedQuantity")
    assert "line 1" in error.message and p.BRACKET in error.message
    await receive(order, (5, 0))  # 105: within the default 5 %
    assert (await lines_of(order))[0].received_quantity == Decimal(105)
    strict = await p.confirmed_order(documents, quantities=(10,), receipt_tolerance_percent=Decimal(0))
    with pytest.raises(DomainError) as zero:
        await receive(strict, ("10.001", 0))
    assert zero.value.code == "OVER_TOLERANCE"


async def test_refusals_name_the_code_and_the_field(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(100,))
    issued = await p.issued_order(documents)
    line = (await lines_of(order))[0]
    foreign_line = (await lines_of(issued))[0]
    accounting = await p.actor(p.ACCOUNTING)
    now = p.now()

    def data(*lines: receiving.ReceiptLineInput, order_id: uuid.UUID = order.id, **changes) -> receiving.ReceiptInput:
        return receiving.ReceiptInput(order_id, lines, **changes)

    ok = receiving.ReceiptLineInput(line.id, Decimal(1))
    cases = [
        (data(ok, order_id=issued.id), "ORDER_NOT_CONFIRMED", "orderId"),
        (data(ok, order_id=uuid.uuid4()), "NOT_FOUND", "orderId"),
        (data(receiving.ReceiptLineInput(foreign_line.id, Decimal(1))), "NOT_FOUND", "lines[0].orderLineId"),
        (data(ok, ok), "DUPLICATE_LINE", "lines[1].orderLineId"),
        (data(), "NO_LINES", "lines"),
        (data(receiving.ReceiptLineInput(line.id, Decimal(0))), "QUANTITY_NOT_POSITIVE", "lines[0].receivedQuantity"),
        (data(receiving.ReceiptLineInput(line.id, Decimal(2), Decimal(3))), "REJECTED_OVER_RECEIVED",
         "lines[0].rejectedQuantity"),
        (data(receiving.ReceiptLineInput(line.id, Decimal(2), Decimal(-1))), "PRICE_NEGATIVE",
         "lines[0].rejectedQuantity"),
        (data(receiving.ReceiptLineInput(line.id, Decimal("0.0001"))), "TOO_MANY_DECIMALS",
         "lines[0].receivedQuantity"),
        (data(ok, received_at=now + timedelta(hours=1)), "RECEIVED_IN_FUTURE", "receivedAt"),
        (data(ok, received_at=now.replace(tzinfo=None)), "INVALID", "receivedAt"),
        (data(ok, received_at=now - timedelta(days=30)), "INVALID", "receivedAt"),
        (data(ok, note="x" * 501), "INVALID", "note"),
    ]
    for receipt, code, field in cases:
        with pytest.raises(DomainError) as refused:
            await receiving.record_goods_receipt(accounting, receipt, clock=p.clock())
        assert (refused.value.code, refused.value.field) == (code, field), (receipt, refused.value.message)
    assert (await lines_of(order))[0].received_quantity == 0
    assert not await GoodsReceipt.filter(order_id=order.id).exists()


@pytest.mark.parametrize("email", [p.AUDITOR, p.SUPPLIER_A, p.SUPPLIER_B])
async def test_only_accounting_procurement_and_admin_record_receipts(email: str, documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents)
    with pytest.raises(DomainError) as refused:
        await receive(order, (1, 0), email=email)
    assert refused.value.code == "PERMISSION_DENIED"


async def test_an_idempotency_key_records_once(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents)
    key = f"receipt-{uuid.uuid4()}"
    first = await receive(order, (10, 0), key=key)
    second = await receive(order, (10, 0), key=key)
    assert first.id == second.id and (await lines_of(order))[0].received_quantity == Decimal(10)
    with pytest.raises(DomainError) as reused:
        await receive(order, (11, 0), key=key)
    assert reused.value.code == "IDEMPOTENCY_KEY_REUSED"


async def test_two_receipts_at_once_cannot_both_pass_the_tolerance(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(100,))
    results = await asyncio.gather(receive(order, (60, 0)), receive(order, (60, 0), email=p.PROCUREMENT),
                                   return_exceptions=True)
    failures = [r for r in results if isinstance(r, BaseException)]
    assert len(failures) == 1 and isinstance(failures[0], DomainError), results
    assert failures[0].code == "OVER_TOLERANCE"
    assert (await lines_of(order))[0].received_quantity == Decimal(60)
    assert await GoodsReceipt.filter(order_id=order.id).count() == 1


# -- CSV import ----------------------------------------------------------------------------------------------------

async def test_a_csv_file_is_imported_as_receipts_grouped_by_order_time_and_note(documents) -> None:  # noqa: ANN001
    first = await p.confirmed_order(documents, quantities=(100, 50))
    second = await p.confirmed_order(documents, quantities=(20,))
    clock = p.clock()
    clock.advance(timedelta(days=2))  # the rows' times lie between the orders' issue and now
    tomorrow = (p.now() + timedelta(days=1)).astimezone(BUYER_TIME_ZONE)
    day_after = clock.now().astimezone(BUYER_TIME_ZONE).date()
    content = "\ufeff" + "\n".join([
        "order_number,line_no,received_quantity,rejected_quantity,received_at,note",
        f"{first.number},1,60,0,{tomorrow:%Y-%m-%d %H:%M},",
        f"{first.number},2,50,5,{tomorrow:%Y-%m-%d %H:%M},",
        f"{first.number},1,40,,{day_after},第二批",
        f"{second.number},1,20,0,,",
        "",
    ])
    result = await import_receipts(await p.actor(p.ACCOUNTING), content, clock=clock)
    assert result.ok, result.errors
    assert len(result.receipts) == 3
    by_note = {(r.order_id, r.note): r for r in result.receipts}
    assert by_note[(first.id, "")].received_at == tomorrow.replace(second=0)
    assert by_note[(first.id, "第二批")].received_at == datetime.combine(day_after, datetime.min.time(),
                                                                      BUYER_TIME_ZONE)
    assert by_note[(second.id, "")].received_at == clock.now()
    assert await GoodsReceiptLine.filter(receipt=by_note[(first.id, "")]).count() == 2
    assert [l.received_quantity for l in await lines_of(first)] == [Decimal(100), Decimal(45)]
    assert (await PurchaseOrder.get(id=second.id)).status == OrderStatus.CLOSED


async def test_a_csv_file_with_bad_rows_imports_nothing_and_names_every_problem(documents) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(100,))
    issued = await p.issued_order(documents)
    content = "\n".join([
        "order_number,line_no,received_quantity,rejected_quantity,received_at,note",
        f"{order.number},1,50,0,,",  # fine on its own
        f"{order.number},1,56,0,,",  # 106 in all: beyond the tolerance
        "PO-1999-9999,1,1,0,,",
        f"{order.number},7,1,0,,",
        f"{order.number},1,abc,0,,",
        f"{order.number},1,2,3,,",
        f"{order.number},1,1,0,next tuesday,",
        f"{issued.number},1,1,0,,",
        f"{order.number},1",
    ])
    result = await import_receipts(await p.actor(p.ACCOUNTING), content, clock=p.clock())
    assert not result.ok and not result.receipts
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "received_quantity", "OVER_TOLERANCE"),
        (4, "order_number", "NOT_FOUND"),
        (5, "line_no", "NOT_FOUND"),
        (6, "received_quantity", "INVALID"),
        (7, "rejected_quantity", "REJECTED_OVER_RECEIVED"),
        (8, "received_at", "INVALID"),
        (9, "order_number", "ORDER_NOT_CONFIRMED"),
        (10, None, "INVALID"),
    ]
    assert "row 3, received_quantity" in str(result.errors[0])
    assert not await GoodsReceipt.filter(order_id=order.id).exists()
    assert (await lines_of(order))[0].received_quantity == 0


@pytest.mark.parametrize(("content", "expected"), [
    ("", [(0, None, "EMPTY_FILE")]),
    ("order_number,line_no,received_quantity\n", [(0, None, "EMPTY_FILE")]),
    ("order_number,line_no\nPO-1,1\n", [(1, "received_quantity", "MISSING_COLUMN")]),
    ("order_number,line_no,received_quantity,recieved_at\n", [(1, "recieved_at", "UNKNOWN_COLUMN")]),
])
async def test_a_csv_file_with_a_bad_header_is_refused(content: str, expected: list) -> None:
    result = await import_receipts(await p.actor(p.ACCOUNTING), content, clock=p.clock())
    assert [(e.row, e.column, e.code) for e in result.errors] == expected


async def test_only_receiving_staff_import() -> None:
    with pytest.raises(DomainError) as refused:
        await import_receipts(await p.actor(p.AUDITOR), "order_number,line_no,received_quantity\n", clock=p.clock())
    assert refused.value.code == "PERMISSION_DENIED"



async def portal(settings, *args: str) -> tuple[int, str, str]:  # noqa: ANN001
    """The `portal` command, run as a user runs it, on the session's database."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    environment.update(PORTAL_DATABASE_URL=settings.database_url, PORTAL_DATA_DIR=str(settings.data_dir),
                       COLUMNS="160")
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "api.cli", *args, cwd=ROOT,
                                                   env=environment, stdout=PIPE, stderr=PIPE)
    out, err = await process.communicate()
    return process.returncode, out.decode(), err.decode()


async def test_the_cli_imports_a_file_or_lists_its_problems(settings, documents, tmp_path: Path) -> None:  # noqa: ANN001
    order = await p.confirmed_order(documents, quantities=(10,))
    bad = tmp_path / "bad.csv"
    bad.write_text(f"order_number,line_no,received_quantity\n{order.number},1,4\n{order.number},9,1\n")
    code, _, err = await portal(settings, "receipts", "import", str(bad))
    assert code == 1 and "row 3, line_no" in err and "nothing was imported" in err
    good = tmp_path / "good.csv"
    good.write_bytes(f"order_number,line_no,received_quantity,note\n{order.number},1,10,仓库一 WH1\n"
                     .encode("gb18030"))  # as Excel saves it on a Chinese Windows
    code, out, err = await portal(settings, "receipts", "import", str(good), "--as", p.PROCUREMENT)
    assert code == 0, err
    assert "1 goods receipt(s) imported" in out and p.PROCUREMENT in out
    receipt = await GoodsReceipt.get(order_id=order.id)
    assert receipt.note == "仓库一 WH1"
    assert (await PurchaseOrder.get(id=order.id)).status == OrderStatus.CLOSED
