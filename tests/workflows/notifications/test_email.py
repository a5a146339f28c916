"""E-mail delivery against a real SMTP server (aiosmtpd, started by the test): the message, its Message-ID, login,
refusals, an unreachable server, and no server at all; and `PORTAL_SMTP_URL` parsing."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from api.settings import Settings, SettingsError
from domain.clock import FrozenClock
from domain.enums import OutboxStatus
from domain.models import OutboxMessage
from tests.support.outbox import email_message, free_port
from workflows.notifications.delivery import MAX_ATTEMPTS, NO_SMTP, Transports, deliver_due
from workflows.notifications.email import SmtpSender, SmtpServer, SmtpUrlError, message_id, parse_mail_from

pytestmark = pytest.mark.usefixtures("demo")

REFUSED = "nobody@supplier.example"
USER, PASSWORD = "portal", "s3cret:with@signs"


@dataclass
class Mailbox:
    """What the SMTP server accepted: (envelope sender, recipients, parsed message)."""

    messages: list[tuple[str, list[str], email.message.EmailMessage]] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,  # noqa: N802 - aiosmtpd's
                          rcpt_options: list[str]) -> str:
        if address == REFUSED:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (USER.encode(), PASSWORD.encode())
        if ok:
            self.logins.append(data.login.decode())
        return AuthResult(success=ok, handled=False)  # unhandled: aiosmtpd answers 535 itself


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server on 127.0.0.1 that accepts logins (without TLS: it is a test) but does not require them."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, authenticator=mailbox.authenticate,
                            auth_require_tls=False)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


def transports_for(url: str, mail_from: str = "Supplier Portal <portal@buyer.example>") -> Transports:
    return Transports(email=SmtpSender(SmtpServer.from_url(url), parse_mail_from(mail_from),
                                       portal_url="https://portal.buyer.example"))


async def test_an_email_reaches_the_server_as_a_bilingual_text_and_html_message(
        smtp: tuple[Mailbox, int], outbox_era: datetime) -> None:
    mailbox, port = smtp
    clock = FrozenClock(outbox_era)
    row = email_message("sales@supplier.example", clock.now(), subject="提醒：采购订单 PO-1 / Reminder: PO-1",
                        text="采购订单 <PO-1> 尚未确认。\n\n———\n\nPurchase order <PO-1> & co. is not answered.\n")
    await row.save()
    async with transports_for(f"smtp://127.0.0.1:{port}") as sending:
        report = await deliver_due(clock, sending)
    assert (report.sent, report.retried, report.dead) == (1, 0, 0)
    stored = await OutboxMessage.get(id=row.id)
    assert stored.status == OutboxStatus.SENT and stored.sent_at == clock.now() and stored.attempts == 1

    [(sender, recipients, message)] = mailbox.messages
    assert sender == "portal@buyer.example" and recipients == ["sales@supplier.example"]
    assert message["To"] == "sales@supplier.example" and message["From"] == "Supplier Portal <portal@buyer.example>"
    assert message["Subject"] == "提醒：采购订单 PO-1 / Reminder: PO-1"
    assert message["Message-ID"] == message_id(row.idempotency_key, "buyer.example")
    assert message["X-Portal-Idempotency-Key"] == row.idempotency_key
    assert message["Auto-Submitted"] == "auto-generated" and message["X-Portal-Event"] == "acknowledgement.reminder"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "采购订单 <PO-1> 尚未确认。" in text and "Purchase order <PO-1> & co." in text
    assert "采购订单 &lt;PO-1&gt; 尚未确认。" in html and "Purchase order &lt;PO-1&gt; &amp; co." in html
    assert "<PO-1>" not in html and 'href="https://portal.buyer.example"' in html
    assert "请勿直接回复" in html and "do not reply" in html


async def test_a_message_sent_again_has_the_same_message_id() -> None:
    key = "ack:1:remind:1:mail:u"
    assert message_id(key, "buyer.example") == message_id(key, "buyer.example")
    assert message_id(key, "buyer.example") != message_id(key + "2", "buyer.example")
    assert message_id(key, "buyer.example").endswith("@buyer.example>") and ":" not in message_id(key, "x")


async def test_the_sender_logs_in_with_the_urls_credentials(smtp: tuple[Mailbox, int], outbox_era: datetime) -> None:
    mailbox, port = smtp
    clock = FrozenClock(outbox_era)
    right = email_message("a@supplier.example", clock.now())
    await right.save()
    async with transports_for(f"smtp://{USER}:s3cret%3Awith%40signs@127.0.0.1:{port}") as sending:
        assert (await deliver_due(clock, sending)).sent == 1
    assert mailbox.logins == [USER]

    wrong = email_message("b@supplier.example", clock.now())
    await wrong.save()
    async with transports_for(f"smtp://{USER}:wrong@127.0.0.1:{port}") as sending:
        assert (await deliver_due(clock, sending)).retried == 1  # the portal's configuration, not the message
    row = await OutboxMessage.get(id=wrong.id)
    assert row.status == OutboxStatus.FAILED and "535" in row.last_error and len(mailbox.messages) == 1


async def test_a_refused_mailbox_is_given_up_at_once(smtp: tuple[Mailbox, int], outbox_era: datetime) -> None:
    _, port = smtp
    clock = FrozenClock(outbox_era)
    row = email_message(REFUSED, clock.now())
    await row.save()
    async with transports_for(f"smtp://127.0.0.1:{port}") as sending:
        assert (await deliver_due(clock, sending)).dead == 1
    stored = await OutboxMessage.get(id=row.id)
    assert stored.status == OutboxStatus.DEAD and stored.attempts == 1 and "550" in stored.last_error


async def test_a_recipient_that_would_inject_headers_is_given_up_without_sending(
        smtp: tuple[Mailbox, int], outbox_era: datetime) -> None:
    mailbox, port = smtp
    clock = FrozenClock(outbox_era)
    row = email_message("a@supplier.example\r\nBcc: everyone@elsewhere.example", clock.now())
    await row.save()
    async with transports_for(f"smtp://127.0.0.1:{port}") as sending:
        assert (await deliver_due(clock, sending)).dead == 1
    assert mailbox.messages == [] and "cannot build the e-mail" in (await OutboxMessage.get(id=row.id)).last_error


async def test_an_unreachable_server_is_retried_with_backoff(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    row = email_message("c@supplier.example", clock.now())
    await row.save()
    async with transports_for(f"smtp://127.0.0.1:{free_port()}") as sending:
        assert (await deliver_due(clock, sending)).retried == 1
    stored = await OutboxMessage.get(id=row.id)
    assert stored.status == OutboxStatus.FAILED and stored.next_attempt_at > clock.now() + timedelta(seconds=59)
    assert "SMTP" in stored.last_error


async def test_without_an_smtp_server_emails_are_retried_then_given_up(outbox_era: datetime) -> None:
    clock = FrozenClock(outbox_era)
    row = email_message("d@supplier.example", clock.now())
    await row.save()
    async with Transports(email=None) as sending:
        for _ in range(MAX_ATTEMPTS):
            await deliver_due(clock, sending)
            clock.advance(timedelta(hours=2))
    stored = await OutboxMessage.get(id=row.id)
    assert stored.status == OutboxStatus.DEAD and stored.attempts == MAX_ATTEMPTS and stored.last_error == NO_SMTP


async def test_transports_from_settings() -> None:
    settings = Settings.from_env({"PORTAL_SMTP_URL": "smtps://bot%40buyer.example:pw@mail.buyer.example",
                                  "PORTAL_MAIL_FROM": "Portal <portal@buyer.example>"})
    transports = Transports.from_settings(settings, None)
    try:
        assert transports.email is not None and transports.webhooks is not None
        assert transports.email.server == SmtpServer("mail.buyer.example", 465, use_tls=True, start_tls=False,
                                                     username="bot@buyer.example", password="pw")
        assert transports.email.sender.addr_spec == "portal@buyer.example"
        assert "pw" not in repr(transports.email.server) and "pw" not in repr(settings)
    finally:
        await transports.aclose()
    without = Transports.from_settings(Settings.from_env({}), None)
    assert without.email is None
    await without.aclose()


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://mail.example.com", SmtpServer("mail.example.com", 25)),
    ("smtp://relay:2525", SmtpServer("relay", 2525)),
    ("smtp+starttls://u:p@mail.example.com", SmtpServer("mail.example.com", 587, start_tls=True, username="u",
                                                        password="p")),
    ("smtps://mail.example.com:4650", SmtpServer("mail.example.com", 4650, use_tls=True)),
    ("SMTP://user@mail.example.com/", SmtpServer("mail.example.com", 25, username="user")),
])
def test_smtp_urls(url: str, expected: SmtpServer) -> None:
    assert SmtpServer.from_url(url) == expected


@pytest.mark.parametrize(("url", "says"), [
    ("http://mail.example.com", "scheme"),
    ("smtp://", "no host"),
    ("smtp://mail.example.com:99999", "not a valid URL"),
    ("smtp://mail.example.com/inbox", "no path"),
    ("smtp://mail.example.com?tls=1", "no path"),
    ("smtp://:secret@mail.example.com", "needs a user name"),
])
def test_malformed_smtp_urls_are_refused_at_start_up_without_echoing_them(url: str, says: str) -> None:
    with pytest.raises(SmtpUrlError, match=says):
        SmtpServer.from_url(url)
    with pytest.raises(SettingsError, match="PORTAL_SMTP_URL") as refused:
        Settings.from_env({"PORTAL_SMTP_URL": url})
    assert "secret" not in str(refused.value)


@pytest.mark.parametrize("value", ["portal", "a b@example.com", "@example.com", "portal@"])
def test_a_malformed_sender_address_is_refused_at_start_up(value: str) -> None:
    with pytest.raises(SettingsError, match="PORTAL_MAIL_FROM"):
        Settings.from_env({"PORTAL_MAIL_FROM": value})
