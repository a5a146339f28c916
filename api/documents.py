"""Wiring the signed-documents workflows to the settings: the file store, the master key, the time-stamper."""

from __future__ import annotations

from pathlib import Path

from api.settings import Settings
from domain.clock import Clock
from workflows.documents.issuing import DocumentService
from workflows.documents.pki import MasterKey, load_master_key, write_master_key_file
from workflows.documents.render import DocumentRenderer
from workflows.documents.signing import timestamper_for
from workflows.documents.storage import LocalFileStore
from workflows.documents.subjects import buyer_organization, letterhead_of

DEMO_KEY_FILE = "master.key"


def master_key(settings: Settings) -> MasterKey:
    """The configured master key (PORTAL_MASTER_KEY, else PORTAL_MASTER_KEY_FILE); MasterKeyError says what to set."""
    return load_master_key(settings.master_key, settings.master_key_file)


def demo_master_key(settings: Settings) -> tuple[MasterKey, Path | None]:
    """The configured master key, or for the demo a new one in its data directory (returned path: say so)."""
    if settings.master_key or settings.master_key_file:
        return master_key(settings), None
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
