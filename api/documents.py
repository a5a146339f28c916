"""Wiring the signed-documents workflows to the settings: the file store, the master key, the time-stamper."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from pyhanko.sign.timestamps import TimeStamper

from api.settings import Settings
from domain.clock import Clock
from domain.errors import DomainError
from workflows.documents.issuing import DocumentService
from workflows.documents.pki import MasterKey, MasterKeyError, load_master_key, write_master_key_file
from workflows.documents.render_errors import FontMissing
from workflows.documents.renderer import DocumentRenderer
from workflows.documents.signing import timestamper_for
from workflows.documents.storage import LocalFileStore
from workflows.documents.subjects import buyer_organization, letterhead_of

DEMO_KEY_FILE = "master.key"


def master_key(settings: Settings) -> MasterKey:
    """The configured master key (PORTAL_MASTER_KEY, else PORTAL_MASTER_KEY_FILE); MasterKeyError says what to set."""
    return load_master_key(settings.master_key, settings.master_key_file)


def master_key_if_configured(settings: Settings) -> MasterKey | None:
    """The master key when one is configured, else None (a malformed one still raises MasterKeyError)."""
    return master_key(settings) if settings.master_key or settings.master_key_file else None


def demo_master_key(settings: Settings) -> tuple[MasterKey, Path | None]:
    """The configured master key, or for the demo a new one in its data directory (returned path: say so)."""
    if (configured := master_key_if_configured(settings)) is not None:
        return configured, None
    path = settings.data_dir / DEMO_KEY_FILE
    return write_master_key_file(path), path


def file_store(settings: Settings) -> LocalFileStore:
    return LocalFileStore(settings.files_dir)


async def document_service(settings: Settings, master: MasterKey, clock: Clock,
                           renderer: DocumentRenderer) -> DocumentService:
    """A DocumentService for the connected database (the letterhead is the buyer organisation's)."""
    return DocumentService(
        store=file_store(settings), renderer=renderer, master=master, clock=clock,
        letterhead=letterhead_of(await buyer_organization()), verify_url=settings.verify_url,
        timestamper=timestamper_for(settings.tsa_url),
    )


class DocumentServices:
    """The app's DocumentService, built on first use: the renderer's processes and the master key are needed only
    once a request issues or countersigns a document. Without a master key, such requests are refused, typed."""

    def __init__(self, settings: Settings, clock: Clock, service: DocumentService | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self._service = service
        self._renderer: DocumentRenderer | None = None
        self._lock = asyncio.Lock()
        self._timestamper = timestamper_for(settings.tsa_url)

    @property
    def timestamper(self) -> TimeStamper | None:
        """The configured time-stamper (the service's, once built), without building the service: a bid is
        timestamped, never rendered or signed, so it needs neither the renderer's processes nor the master key."""
        return self._service.timestamper if self._service is not None else self._timestamper

    async def get(self) -> DocumentService:
        if self._service is not None:
            return self._service
        async with self._lock:
            if self._service is None:
                try:
                    master = master_key(self.settings)
                except MasterKeyError as error:
                    raise DomainError(f"documents cannot be signed: {error}", code="SIGNING_UNAVAILABLE") from error
                try:
                    renderer = DocumentRenderer()
                except FontMissing as error:
                    raise DomainError(f"documents cannot be rendered: {error}", code="SIGNING_UNAVAILABLE") from error
                await renderer.start()
                self._renderer = renderer
                self._service = await document_service(self.settings, master, self.clock, renderer)
        return self._service

    async def get_if_available(self, on_unavailable: Callable[[DomainError], None] | None = None
                               ) -> DocumentService | None:
        """The service, or None when documents cannot be signed here (no master key), after telling
        `on_unavailable`: the scheduler still closes tenders; their opening records wait for a signing process."""
        try:
            return await self.get()
        except DomainError as error:
            if on_unavailable is not None:
                on_unavailable(error)
            return None

    async def close(self) -> None:
        if self._renderer is not None:
            await asyncio.to_thread(self._renderer.close)
            self._renderer = None
