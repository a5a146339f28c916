"""Writing notifications: each recipient is told once, in the inbox in their own language and by e-mail in both; a
recipient without an e-mail address has the inbox row only."""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from tortoise import connections

from domain.enums import AcknowledgementKind as AK, OutboxChannel
from domain.models import Notification, OutboxMessage
from tests.support.outbox import fresh_supplier
from workflows.deadlines.notices import KIND_LABELS, Names
from workflows.notifications.inbox import NotificationBatch, Recipient

pytestmark = pytest.mark.usefixtures("demo")


async def test_each_recipient_is_told_once_in_their_language_and_by_e_mail_in_both(outbox_era: datetime) -> None:
    supplier = await fresh_supplier()
    reader_zh = Recipient(supplier.admin.actor.user_id, supplier.admin.email, "zh-CN")
    reader_en_without_mail = Recipient(supplier.user.actor.user_id, "", "en-US")
    key = f"test:{uuid.uuid4()}:remind:1"
    batch = NotificationBatch(at=outbox_era)
    batch.add(key=key, kind="acknowledgement.reminder", recipients=[reader_zh, reader_en_without_mail, reader_zh],
              context={"what": KIND_LABELS[AK.PURCHASE_ORDER], "number": "PO-2001-0042",
                       "due_local": "2001-03-02 16:00", "hours_left": 32, "supplier": Names("供应商", "Supplier")},
              subject_type="PurchaseOrder", subject_id=None)
    await batch.flush(connections.get("default"))

    inbox = {row.user_id: row for row in await Notification.filter(key__startswith=key)}
    assert set(inbox) == {reader_zh.user_id, reader_en_without_mail.user_id}
    zh, en = inbox[reader_zh.user_id], inbox[reader_en_without_mail.user_id]
    assert zh.title.startswith("提醒") and "采购订单 PO-2001-0042" in zh.title and "32" in zh.body
    assert en.title.startswith("Reminder") and "purchase order PO-2001-0042" in en.title and "32" in en.body

    mails = await OutboxMessage.filter(idempotency_key__startswith=key)
    assert [(m.channel, m.recipient) for m in mails] == [(OutboxChannel.EMAIL, supplier.admin.email)]
    payload = mails[0].payload
    assert payload["subject"] == f"{zh.title} / {en.title}"
    assert payload["text"] == f"{zh.body}\n\n———\n\n{en.body}\n"
    assert (payload["locale"], payload["kind"], payload["key"]) == ("zh-CN", "acknowledgement.reminder", key)
