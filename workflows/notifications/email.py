"""E-mail delivery over SMTP: one outbox row becomes one bilingual message (plain text with an HTML alternative).

The server comes from `PORTAL_SMTP_URL`:

- `smtp://[user:password@]host[:port]`: plain SMTP (port 25), for a relay on a trusted network;
- `smtp+starttls://[user:password@]host[:port]`: SMTP upgraded with STARTTLS, which is required (port 587);
- `smtps://[user:password@]host[:port]`: SMTP over TLS from the first byte (port 465).

The user name and password are percent-decoded. The Message-ID is derived from the outbox row's idempotency key, so a
message sent again after a crash is recognisably the same message (mail clients and archives fold the two).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import aiosmtplib
from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template

from workflows.notifications.outcome import Outcome

TEMPLATES = Path(__file__).resolve().parents[2] / "templates" / "email"
DEFAULT_MAIL_FROM = "portal@localhost"
SMTP_TIMEOUT_SECONDS = 30.0  # per operation (connect, each command)
TOTAL_TIMEOUT_SECONDS = 60.0  # the whole conversation, however slowly the server answers
MAX_ERROR = 500

# scheme -> (TLS from the start, STARTTLS required, default port)
_SCHEMES: dict[str, tuple[bool, bool, int]] = {
    "smtp": (False, False, 25),
    "smtp+starttls": (False, True, 587),
    "smtps": (True, False, 465),
}


class SmtpUrlError(ValueError):
    """`PORTAL_SMTP_URL` is malformed; the message says what is wrong (never the password)."""


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand e-mail over. Its repr never shows the password."""

    host: str
    port: int
    use_tls: bool = False
    start_tls: bool = False
    username: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        """Parse `smtp://`, `smtp+starttls://` or `smtps://` URLs; SmtpUrlError says what is wrong."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as error:
            raise SmtpUrlError(f"not a valid URL ({error})") from None
        scheme = parts.scheme.lower()
        if scheme not in _SCHEMES:
            raise SmtpUrlError(f"the scheme must be one of {', '.join(s + '://' for s in _SCHEMES)}, got {scheme!r}")
        if not parts.hostname:
            raise SmtpUrlError("the URL names no host")
        if parts.path not in ("", "/") or parts.query or parts.fragment:
            raise SmtpUrlError("the URL takes no path, query or fragment: only credentials, a host and a port")
        if parts.password is not None and not parts.username:
            raise SmtpUrlError("a password needs a user name")
        use_tls, start_tls, default_port = _SCHEMES[scheme]
        return cls(host=parts.hostname, port=port or default_port, use_tls=use_tls, start_tls=start_tls,
                   username=unquote(parts.username) if parts.username else None,
                   password=unquote(parts.password) if parts.password is not None else None)


def parse_mail_from(value: str) -> Address:
    """The sender address (`portal@example.com` or `Supplier Portal <portal@example.com>`); ValueError if malformed."""
    text = value.strip()
    name = ""
    if text.endswith(">") and "<" in text:
        name, _, text = text[:-1].partition("<")
        name = name.strip().strip('"')
    local, at, domain = text.strip().rpartition("@")
    if not at or not local or not domain or any(c.isspace() or c in "<>\"," for c in local + domain):
        raise ValueError(f"not an e-mail address: {value!r}")
    return Address(display_name=name, username=local, domain=domain)


def message_id(idempotency_key: str, domain: str) -> str:
    """A Message-ID that is the same every time the same outbox row is sent (the key itself may hold characters a
    Message-ID cannot, so it is hashed)."""
    return f"<{hashlib.sha256(idempotency_key.encode('utf-8')).hexdigest()[:40]}@{domain}>"


@lru_cache(maxsize=1)
def _html_template() -> Template:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, autoescape=True,
                              trim_blocks=True, lstrip_blocks=True)
    return environment.get_template("message.html")


def render_html(payload: dict[str, Any], portal_url: str | None) -> str:
    """The HTML alternative: the same bilingual text, escaped, one paragraph per blank-line-separated block."""
    paragraphs = [block.strip() for block in str(payload.get("text", "")).split("\n\n") if block.strip()]
    return _html_template().render(subject=str(payload.get("subject", "")), paragraphs=paragraphs,
                                   locale=str(payload.get("locale", "zh-CN")), portal_url=portal_url)


def build_message(payload: dict[str, Any], idempotency_key: str, *, sender: Address, now: datetime,
                  portal_url: str | None = None) -> EmailMessage:
    """The e-mail for an outbox row's payload (`to`, `subject`, `text`, `kind`, `locale`)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = str(payload["to"])
    message["Subject"] = str(payload.get("subject", ""))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(idempotency_key, sender.domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: vacation responders must not answer
    message["X-Portal-Idempotency-Key"] = idempotency_key
    if payload.get("kind"):
        message["X-Portal-Event"] = str(payload["kind"])
    message.set_content(str(payload.get("text", "")))
    message.add_alternative(render_html(payload, portal_url), subtype="html")
    return message


def _is_permanent(error: aiosmtplib.SMTPException) -> bool:
    """Whether the server refused the message itself for good (a 5xx to the recipient or the content): retrying the
    same message cannot help. A refused login or sender is the portal's configuration, and is retried."""
    if isinstance(error, aiosmtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(500 <= refused.code < 600 for refused in error.recipients)
    if isinstance(error, (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError)):
        return 500 <= error.code < 600
    return False


@dataclass(frozen=True)
class SmtpSender:
    """Sends outbox e-mails through one SMTP server, one connection per message."""

    server: SmtpServer
    sender: Address = field(default_factory=lambda: parse_mail_from(DEFAULT_MAIL_FROM))
    portal_url: str | None = None
    timeout: float = SMTP_TIMEOUT_SECONDS

    async def send(self, payload: dict[str, Any], idempotency_key: str, now: datetime) -> Outcome:
        """Hand the message to the server: ok once the server has accepted it for every recipient."""
        try:
            message = build_message(payload, idempotency_key, sender=self.sender, now=now, portal_url=self.portal_url)
        except (KeyError, ValueError) as error:  # e.g. a recipient address no header can carry: it never will
            return Outcome(False, f"cannot build the e-mail: {error}"[:MAX_ERROR], permanent=True)
        server = self.server
        try:
            async with asyncio.timeout(TOTAL_TIMEOUT_SECONDS):
                await aiosmtplib.send(
                    message, hostname=server.host, port=server.port, username=server.username,
                    password=server.password, use_tls=server.use_tls, start_tls=server.start_tls, timeout=self.timeout,
                )
        except aiosmtplib.SMTPException as error:
            return Outcome(False, f"SMTP: {error}"[:MAX_ERROR], permanent=_is_permanent(error))
        except TimeoutError:
            return Outcome(False, f"SMTP: {server.host}:{server.port} timed out")
        except OSError as error:
            return Outcome(False, f"SMTP connection to {server.host}:{server.port} failed: {error}"[:MAX_ERROR])
        return Outcome(True)
