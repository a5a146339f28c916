"""Removing stored files that no row refers to.

A document's file is stored, durably, before the transaction that records it (`issuing.py`), so a crash or a refused
transaction between the two leaves a file that nothing points to. `sweep_orphans` deletes those, and only those
older than `ORPHAN_AGE_S`: a younger file may belong to a transaction still in flight. `sweep_if_due` is what the
scheduler runs on every tick: a sweep at most once per `SWEEP_INTERVAL_S`, since it lists the whole store.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from itertools import islice

from domain.models import DocumentFile
from workflows.documents.storage import FileStore

ORPHAN_AGE_S = 3600.0
SWEEP_INTERVAL_S = 24 * 3600.0
_BATCH = 500  # keys looked up per query


def _batches(keys: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(keys)
    while batch := list(islice(iterator, size)):
        yield batch


async def sweep_orphans(store: FileStore, *, now: float | None = None,
                        older_than_s: float = ORPHAN_AGE_S) -> list[str]:
    """Delete every stored file older than `older_than_s` whose content no `DocumentFile` row has; the keys deleted.

    Every file the portal keeps has a DocumentFile row (a version's current file is one of its rows), and a key is
    the file's sha256, which that table indexes. The store is read as a stream, a batch of keys at a time, so memory
    stays flat however many files there are. A file written again while the sweep runs (`put` of the same bytes
    renews its time) is left alone.
    """
    limit = (time.time() if now is None else now) - older_than_s
    removed: list[str] = []
    old_files = (key for key, modified in store.keys() if modified < limit)
    for batch in _batches(old_files, _BATCH):
        digests = [key.removesuffix(".pdf") for key in batch]
        known = set(await DocumentFile.filter(sha256__in=digests).values_list("sha256", flat=True))
        for key, digest in zip(batch, digests, strict=True):
            if digest in known:
                continue
            modified = store.modified(key)  # again, just before deleting: `put` may have renewed it since the listing
            if modified is not None and modified < limit:
                store.delete(key)
                removed.append(key)
    return removed


async def sweep_if_due(store: FileStore, *, now: float | None = None) -> list[str] | None:
    """`sweep_orphans` when the last sweep of this store is `SWEEP_INTERVAL_S` old or more; None when not due."""
    now = time.time() if now is None else now
    last = store.last_sweep()
    if last is not None and now - last < SWEEP_INTERVAL_S:
        return None
    store.mark_swept(now)  # first: a sweep that fails is not retried on every tick, but the next day
    return await sweep_orphans(store, now=now)
