"""Garbage-collector settings for a long-running API process."""

from __future__ import annotations

import gc

# CPython's default first-generation threshold (700 allocations) runs a collection every
# few requests; the objects a request allocates are mostly freed by reference counting.
_YOUNG_THRESHOLD = 20_000


def settle_heap() -> None:
    """Move everything alive after start-up (modules, the app, the DI graph) out of the
    collector's reach and collect the young generation less often.

    Without this a full collection walks every imported module's objects, and on a loaded
    machine that pause lands on the tail latency of whichever requests are in flight.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, middle, old)
