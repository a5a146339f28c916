"""Settings read from the environment, with types and defaults. A malformed value fails loudly at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from workflows.notifications.email import DEFAULT_MAIL_FROM, SmtpServer, SmtpUrlError, parse_mail_from

ENVIRONMENTS = ("development", "test", "production")


class SettingsError(ValueError):
    """A setting in the environment is missing or malformed; the message names the variable."""


def _int(env: dict[str, str], name: str, default: int, minimum: int = 1) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum}, got {value}")
    return value


def _smtp_url(env: dict[str, str]) -> str | None:
    raw = env.get("PORTAL_SMTP_URL") or None
    if raw is not None:
        try:
            SmtpServer.from_url(raw)
        except SmtpUrlError as error:
            # The message never repeats the URL: it may hold the SMTP password.
            raise SettingsError(f"PORTAL_SMTP_URL is malformed: {error} (e.g. smtp+starttls://user:password@host:587, "
                                f"smtps://user:password@host:465 or smtp://host:25)") from None
    return raw


def _mail_from(env: dict[str, str]) -> str:
    raw = env.get("PORTAL_MAIL_FROM") or DEFAULT_MAIL_FROM
    try:
        parse_mail_from(raw)
    except ValueError:
        raise SettingsError(f"PORTAL_MAIL_FROM must be an e-mail address (optionally 'Name <address>'), got {raw!r}") \
            from None
    return raw


def _url(env: dict[str, str], name: str, default: str) -> str:
    raw = (env.get(name) or default).rstrip("/")
    if not raw.startswith(("http://", "https://")):
        raise SettingsError(f"{name} must be an http(s) URL, got {raw!r}")
    return raw


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    master_key: str | None = field(default=None, repr=False)
    master_key_file: Path | None = None
    tsa_url: str | None = None
    smtp_url: str | None = field(default=None, repr=False)  # may hold the SMTP password
    mail_from: str = DEFAULT_MAIL_FROM
    public_url: str = "http://127.0.0.1:8000"
    max_upload_bytes: int = 20 * 1024 * 1024
    session_hours: int = 12
    max_body_bytes: int = 1_048_576
    login_failures_per_account: int = 5
    login_failures_per_address: int = 30
    login_window_minutes: int = 15
    scheduler_seconds: int = 30  # 0: no scheduler in the server (run `portal tick` from cron instead)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def files_dir(self) -> Path:
        """Where signed documents are stored, by content hash."""
        return self.data_dir / "files"

    @property
    def verify_url(self) -> str:
        """The public verification page printed on every document."""
        return f"{self.public_url}/verify"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        environment = env.get("PORTAL_ENV", "development")
        if environment not in ENVIRONMENTS:
            raise SettingsError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, got {environment!r}")
        data_dir = Path(env.get("PORTAL_DATA_DIR") or "var")
        database_url = env.get("PORTAL_DATABASE_URL") or default_database_url(data_dir)
        if not database_url.startswith(("sqlite://", "postgres://", "postgresql://")):
            raise SettingsError(
                f"PORTAL_DATABASE_URL must start with sqlite:// or postgres://, got {database_url.split(':')[0]!r}"
            )
        key_file = env.get("PORTAL_MASTER_KEY_FILE")
        return cls(
            env=environment,
            data_dir=data_dir,
            database_url=database_url,
            master_key=env.get("PORTAL_MASTER_KEY") or None,
            master_key_file=Path(key_file) if key_file else None,
            tsa_url=env.get("PORTAL_TSA_URL") or None,
            smtp_url=_smtp_url(env),
            mail_from=_mail_from(env),
            public_url=_url(env, "PORTAL_PUBLIC_URL", "http://127.0.0.1:8000"),
            max_upload_bytes=_int(env, "PORTAL_MAX_UPLOAD_BYTES", 20 * 1024 * 1024, minimum=1024),
            session_hours=_int(env, "PORTAL_SESSION_HOURS", 12),
            max_body_bytes=_int(env, "PORTAL_MAX_BODY_BYTES", 1_048_576, minimum=1024),
            scheduler_seconds=_int(env, "PORTAL_SCHEDULER_SECONDS", 30, minimum=0),
        )


def default_database_url(data_dir: Path) -> str:
    return f"sqlite://{(data_dir / 'portal.sqlite3').as_posix()}"
