"""Webhook delivery against a real HTTP server: signed requests, retries with backoff, the delivery log, disabling a
failing endpoint, leases after a crash, and concurrent deliverers sending each message once."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from tortoise import connections

from domain.actors import Actor
from domain.clock import FrozenClock
from domain.enums import OutboxStatus
from domain.models import AuditEvent, OutboxMessage, WebhookDelivery, WebhookEndpoint
from tests.support.outbox import WebhookReceiver, closed_port_url, fresh_supplier, webhook_message
from workflows.documents.pki import MasterKey
from workflows.notifications import endpoints
from workflows.notifications.delivery import LEASE, MAX_ATTEMPTS, Transports, backoff, claim_due, deliver_due
from workflows.notifications.inbox import NotificationBatch
from workflows.notifications.webhooks import DISABLE_AFTER_FAILURES, WebhookSender, encode_body, verify_signature

pytestmark = pytest.mark.usefixtures("demo")

MASTER = MasterKey.generate()


async def endpoint_for(url: str, clock: FrozenClock) -> tuple[WebhookEndpoint, str, Actor]:
    """A new supplier's endpoint at `url`, its secret, and the supplier's admin."""
    supplier = await fresh_supplier()
    issued = await endpoints.create_endpoint(supplier.admin.actor, url, (), master=MASTER, clock=clock,
                                             production=False)
    return issued.endpoint, issued.secret, supplier.admin.actor


def transports(master: MasterKey | None = MASTER) -> Transports:
    return Transports(email=None, webhooks=WebhookSender(master))


async def test_a_failing_receiver_gets_the_same_signed_event_again_with_backoff_until_it_answers_2xx(
        outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver(statuses=[500, 503]) as receiver:
        endpoint, secret, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        async with transports() as sending:
            report = await deliver_due(clock, sending)
            assert (report.sent, report.retried, report.dead) == (0, 1, 0)
            row = await OutboxMessage.get(id=message.id)
            assert row.status == OutboxStatus.FAILED and row.attempts == 1 and row.last_error.startswith("HTTP 500")
            assert row.next_attempt_at == clock.now() + backoff(1, message.idempotency_key)
            assert timedelta(minutes=1) <= row.next_attempt_at - clock.now() <= timedelta(minutes=1.1)
            assert (await WebhookEndpoint.get(id=endpoint.id)).consecutive_failures == 1

            assert (await deliver_due(clock, sending)).attempted == 0  # not due again yet
            clock.advance(row.next_attempt_at - clock.now())
            assert (await deliver_due(clock, sending)).retried == 1
            row = await OutboxMessage.get(id=message.id)
            assert timedelta(minutes=2) <= row.next_attempt_at - clock.now() <= timedelta(minutes=2.2)
            clock.advance(row.next_attempt_at - clock.now())
            assert (await deliver_due(clock, sending)).sent == 1

    row = await OutboxMessage.get(id=message.id)
    assert row.status == OutboxStatus.SENT and row.sent_at == clock.now() and row.attempts == 3
    assert (await WebhookEndpoint.get(id=endpoint.id)).consecutive_failures == 0  # a success resets the count
    log = await WebhookDelivery.filter(message_id=message.id).order_by("attempt")
    assert [(d.attempt, d.status_code) for d in log] == [(1, 500), (2, 503), (3, 200)]
    assert log[0].error.startswith("HTTP 500") and log[2].error == "" and all(d.duration_ms >= 0 for d in log)

    assert receiver.keys() == [message.idempotency_key] * 3
    for request in receiver.received:
        headers = request.headers
        assert headers["Content-Type"] == "application/json" and headers["X-Portal-Event"] == "acknowledgement.overdue"
        assert headers["X-Portal-Delivery"] == message.idempotency_key
        assert request.body == encode_body(message.payload) and request.json()["id"] == message.idempotency_key
        assert request.path == "/hooks/portal"
        signed_at = int(headers["X-Portal-Timestamp"])
        assert verify_signature(secret, signed_at, request.body, headers["X-Portal-Signature"], now=clock.now())
    last = receiver.received[-1]
    stamp, signature = last.headers["X-Portal-Timestamp"], last.headers["X-Portal-Signature"]
    assert int(stamp) == int(clock.now().timestamp()) and signature.startswith("sha256=")
    assert not verify_signature("whsec_wrong", stamp, last.body, signature, now=clock.now())
    assert not verify_signature(secret, stamp, last.body + b" ", signature, now=clock.now())
    assert not verify_signature(secret, stamp, last.body, signature, now=clock.now() + timedelta(minutes=6))
    assert not verify_signature(secret, "yesterday", last.body, signature, now=clock.now())


@pytest.mark.parametrize("status", [302, 404, 410])
async def test_redirects_and_client_errors_are_failures(outbox_era: datetime, status: int) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver(default=status) as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        async with transports() as sending:
            assert (await deliver_due(clock, sending)).retried == 1
    assert len(receiver.received) == 1  # the redirect was not followed
    assert (await WebhookDelivery.get(message_id=message.id)).status_code == status


async def test_an_unreachable_endpoint_is_logged_without_a_status_code(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    endpoint, _, _ = await endpoint_for(closed_port_url(), clock)
    message = webhook_message(endpoint, clock.now())
    await message.save()
    async with transports() as sending:
        assert (await deliver_due(clock, sending)).retried == 1
    attempt = await WebhookDelivery.get(message_id=message.id)
    assert attempt.status_code is None and attempt.error.startswith("ConnectError")
    assert (await OutboxMessage.get(id=message.id)).last_error == attempt.error


async def test_an_endpoint_is_disabled_after_consecutive_failures_and_its_pending_messages_are_given_up(
        outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver(default=500) as receiver:
        endpoint, _, admin = await endpoint_for(receiver.url, clock)
        due = [webhook_message(endpoint, clock.now()) for _ in range(DISABLE_AFTER_FAILURES)]
        later = webhook_message(endpoint, clock.now() + timedelta(hours=1))
        await OutboxMessage.bulk_create([*due, later])
        async with transports() as sending:
            report = await deliver_due(clock, sending)
            assert report.attempted == DISABLE_AFTER_FAILURES and report.dead >= 1 and report.sent == 0
            clock.advance(timedelta(hours=2))
            assert (await deliver_due(clock, sending)).attempted == 0  # nothing is left to send
    assert len(receiver.received) == DISABLE_AFTER_FAILURES
    disabled = await WebhookEndpoint.get(id=endpoint.id)
    assert not disabled.is_active and disabled.disabled_at == outbox_era
    assert disabled.consecutive_failures == DISABLE_AFTER_FAILURES
    rows = await OutboxMessage.filter(endpoint_id=endpoint.id)
    assert {row.status for row in rows} == {OutboxStatus.DEAD} and len(rows) == DISABLE_AFTER_FAILURES + 1
    assert "disabled after 10 consecutive failures" in (await OutboxMessage.get(id=later.id)).last_error
    assert await WebhookDelivery.filter(message__endpoint_id=endpoint.id).count() == DISABLE_AFTER_FAILURES
    assert await AuditEvent.filter(action="webhook_endpoint.disable", subject_id=endpoint.id).count() == 1

    # Its admin turns it back on: the count starts again; what was given up stays given up.
    enabled = await endpoints.enable_endpoint(admin, endpoint.id, clock=clock)
    assert enabled.is_active and enabled.consecutive_failures == 0 and enabled.disabled_at is None
    assert {row.status for row in await OutboxMessage.filter(endpoint_id=endpoint.id)} == {OutboxStatus.DEAD}


async def test_a_disabled_endpoint_is_not_called(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver() as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        await WebhookEndpoint.filter(id=endpoint.id).update(is_active=False, disabled_at=clock.now())
        async with transports() as sending:
            assert (await deliver_due(clock, sending)).dead == 1
    assert receiver.received == []
    assert (await OutboxMessage.get(id=message.id)).last_error == "the webhook endpoint is disabled"


async def test_without_the_master_key_nothing_is_signed_and_the_endpoint_is_not_blamed(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver() as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        for master in (None, MasterKey.generate()):
            async with transports(master) as sending:
                assert (await deliver_due(clock, sending)).retried == 1
            clock.advance(timedelta(hours=1))
    assert receiver.received == []
    row = await OutboxMessage.get(id=message.id)
    assert row.status == OutboxStatus.FAILED and "master key" in row.last_error
    assert (await WebhookEndpoint.get(id=endpoint.id)).consecutive_failures == 0


async def test_a_message_is_given_up_after_the_last_attempt(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver(default=500) as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        async with transports() as sending:
            for attempt in range(1, MAX_ATTEMPTS + 1):
                report = await deliver_due(clock, sending)
                assert (report.retried, report.dead) == ((1, 0) if attempt < MAX_ATTEMPTS else (0, 1))
                clock.advance(timedelta(hours=2))
    row = await OutboxMessage.get(id=message.id)
    assert row.status == OutboxStatus.DEAD and row.attempts == MAX_ATTEMPTS and len(receiver.received) == MAX_ATTEMPTS


async def test_a_message_leased_by_a_crashed_process_is_sent_again_after_the_lease(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver() as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        message = webhook_message(endpoint, clock.now())
        await message.save()
        # A process claims the row, maybe sends it, and dies before recording anything.
        claimed = await claim_due(clock.now(), limit=100)
        assert [row.id for row in claimed] == [message.id] and claimed[0].attempts == 1
        async with transports() as sending:
            assert (await deliver_due(clock, sending)).attempted == 0  # leased: nobody else sends it meanwhile
            clock.advance(LEASE - timedelta(seconds=1))
            assert (await deliver_due(clock, sending)).attempted == 0
            clock.advance(timedelta(seconds=1))
            assert (await deliver_due(clock, sending)).sent == 1
    row = await OutboxMessage.get(id=message.id)
    assert row.status == OutboxStatus.SENT and row.attempts == 2
    assert receiver.keys() == [message.idempotency_key]  # the same key the crashed attempt would have used


async def test_concurrent_deliverers_send_each_message_once(outbox_era: datetime) -> None:
    """On PostgreSQL the claims really overlap (FOR UPDATE SKIP LOCKED); on SQLite they take turns."""
    clock = FrozenClock(outbox_era)
    with WebhookReceiver(delay=0.02) as receiver:
        endpoint, _, _ = await endpoint_for(receiver.url, clock)
        messages = [webhook_message(endpoint, clock.now()) for _ in range(24)]
        await OutboxMessage.bulk_create(messages)
        deliverers = [transports() for _ in range(4)]
        reports = await asyncio.gather(*(deliver_due(clock, sending, limit=6) for sending in deliverers))
        reports += await asyncio.gather(*(deliver_due(clock, sending, limit=6) for sending in deliverers))
        for sending in deliverers:
            await sending.aclose()
    assert sum(report.sent for report in reports) == 24
    assert sorted(receiver.keys()) == sorted(message.idempotency_key for message in messages)
    assert await OutboxMessage.filter(endpoint_id=endpoint.id, status=OutboxStatus.SENT, attempts=1).count() == 24


async def test_events_written_by_the_inbox_are_delivered_to_the_endpoints_that_want_them(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    with WebhookReceiver() as everything, WebhookReceiver() as overdue_only, WebhookReceiver() as others:
        supplier = await fresh_supplier()
        for url, events in ((everything.url, ()), (overdue_only.url, ("acknowledgement.overdue",)),
                            (others.url, ("acknowledgement.answered",))):
            await endpoints.create_endpoint(supplier.admin.actor, url, events, master=MASTER, clock=clock,
                                            production=False)
        batch = NotificationBatch(at=clock.now())
        batch.add(key=f"test:{supplier.organization.id}:overdue", kind="acknowledgement.overdue",
                  context={"what": {"zh": "采购订单", "en": "purchase order"}, "number": "PO-2001-0007",
                           "due_local": "2001-03-01 16:00", "supplier": {"zh": "回调测试", "en": "Webhook Test"}},
                  recipients=[], subject_type="PurchaseOrder", subject_id=None,
                  webhook_organizations=[supplier.organization.id], webhook_data={"number": "PO-2001-0007"})
        await batch.flush(connections.get("default"))
        async with transports() as sending:
            assert (await deliver_due(clock, sending)).sent == 2
    assert len(everything.received) == len(overdue_only.received) == 1 and others.received == []
    event = overdue_only.received[0].json()
    assert event["event"] == "acknowledgement.overdue" and event["data"] == {"number": "PO-2001-0007"}
