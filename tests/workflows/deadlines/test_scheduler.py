"""One scheduler tick end to end: a missed deadline is escalated and the e-mails it causes reach a real SMTP server,
each once, however often the tick runs."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.clock import FrozenClock
from domain.enums import AcknowledgementKind as AK, AcknowledgementStatus as AS, OutboxStatus
from domain.models import Acknowledgement, OutboxMessage, User
from tests.support import procurement as p
from tests.support.outbox import ERA, ERA_ENDS, outbox_era  # noqa: F401 - a fixture
from tests.workflows.notifications.test_email import Mailbox, smtp, transports_for  # noqa: F401 - a fixture
from workflows.deadlines.scheduler import tick

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture(autouse=True)
async def nothing_else_due():  # noqa: ANN201
    """Only this test's acknowledgement is due in the era, before and after."""
    await Acknowledgement.filter(created_at__lt=ERA_ENDS).update(next_action_at=None)
    yield
    await Acknowledgement.filter(created_at__lt=ERA_ENDS).update(next_action_at=None)


async def test_a_missed_deadline_is_escalated_by_mail_once_whatever_the_number_of_ticks(
        smtp: tuple[Mailbox, int], outbox_era) -> None:  # noqa: ANN001, F811
    mailbox, port = smtp
    order = await p.issued_order(await p.unsigned_documents())
    owner = await User.get(email=p.PROCUREMENT)
    ack = await Acknowledgement.create(
        kind=AK.PURCHASE_ORDER, subject_type="PurchaseOrder", subject_id=order.id, subject_number=order.number,
        supplier=await p.supplier("SUP-A"), owner=owner, due_at=ERA, created_at=ERA - timedelta(hours=48),
        next_action_at=ERA)
    clock = FrozenClock(ERA + timedelta(hours=30))  # overdue, and past both escalation steps of any policy here
    async with transports_for(f"smtp://127.0.0.1:{port}") as transports:
        first = await tick(clock, transports=transports)
        again = await tick(clock, transports=transports)
    assert first.errors == [] and again.errors == []
    assert first.deadlines.actions.get("overdue") == 1 and first.deadlines.actions.get("escalate") == 1
    assert again.deadlines.total == 0
    row = await Acknowledgement.get(id=ack.id)
    assert row.status == AS.ESCALATED
    mails = await OutboxMessage.filter(idempotency_key__startswith=f"ack:{ack.id}:")
    assert mails and all(m.status == OutboxStatus.SENT for m in mails)
    received = [message for _, _, message in mailbox.messages]
    assert len(received) == len(mails)  # each once
    assert len({m["Message-ID"] for m in received}) == len(received)
    escalations = [m for m in received if order.number in m["Subject"] and "升级" in m["Subject"]]
    assert {address for m in escalations for address in m["To"].addresses[0].addr_spec.split()} >= {p.PROCUREMENT}
