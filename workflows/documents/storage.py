"""Where document files live: stored by content hash, behind a small interface an S3-compatible bucket can implement.

The local store writes under `PORTAL_DATA_DIR/files/ab/cd/<sha256>.pdf`. A write is atomic and durable before it
returns (temporary file, fsync, rename, fsync of the folder), so a database row written afterwards never points at a
missing or half-written file. A crash between the two leaves at worst a file no row points to:
`workflows.documents.orphans` deletes those once they are older than any transaction that could still be writing
their row.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

SHA256_KEY = re.compile(r"[0-9a-f]{64}\.pdf")
SWEEP_MARKER = ".last-sweep"


class StorageError(Exception):
    """A file could not be written or read; the message names the key."""


class FileStore(Protocol):
    """Content-addressed file storage. A key is `<sha256>.pdf`; putting the same bytes twice stores them once."""

    def put(self, data: bytes) -> str: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...

    def modified(self, key: str) -> float | None:
        """When the file was last written (seconds since the epoch), or None if there is no such file."""
        ...

    def keys(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its modification time (seconds since the epoch)."""
        ...

    def last_sweep(self) -> float | None:
        """When `mark_swept` was last called (seconds since the epoch), or None."""
        ...

    def mark_swept(self, at: float) -> None: ...


def key_for(data: bytes) -> str:
    return f"{hashlib.sha256(data).hexdigest()}.pdf"


class LocalFileStore:
    """Files in a local folder, two levels of hash prefixes deep so that no folder grows huge."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: str) -> Path:
        if not SHA256_KEY.fullmatch(key):
            raise StorageError(f"{key!r} is not a storage key")
        return self.root / key[:2] / key[2:4] / key

    def put(self, data: bytes) -> str:
        key = key_for(data)
        target = self.path(key)
        if target.exists() and target.stat().st_size == len(data):
            os.utime(target)  # a fresh write of a known file: keep it out of the orphan sweep's reach for a while
            return key
        target.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as error:
            Path(temporary).unlink(missing_ok=True)
            raise StorageError(f"could not store {key}: {error}") from error
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)  # the rename itself must survive a crash
        finally:
            os.close(folder)
        return key

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise StorageError(f"stored file {key} is missing") from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def modified(self, key: str) -> float | None:
        try:
            return self.path(key).stat().st_mtime
        except FileNotFoundError:
            return None

    def last_sweep(self) -> float | None:
        try:
            return float((self.root / SWEEP_MARKER).read_text(encoding="ascii"))
        except (FileNotFoundError, ValueError):
            return None

    def mark_swept(self, at: float) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        (self.root / SWEEP_MARKER).write_text(repr(at), encoding="ascii")

    def keys(self) -> Iterator[tuple[str, float]]:
        if not self.root.is_dir():
            return
        for path in self.root.glob("??/??/*.pdf"):
            if not SHA256_KEY.fullmatch(path.name):
                continue
            try:
                modified = path.stat().st_mtime
            except FileNotFoundError:  # deleted since the listing
                continue
            yield path.name, modified
        for stale in self.root.glob("??/??/.incoming-*"):  # a write interrupted by a crash
            with contextlib.suppress(FileNotFoundError):
                if stale.stat().st_mtime < time.time() - 3600:
                    stale.unlink(missing_ok=True)
