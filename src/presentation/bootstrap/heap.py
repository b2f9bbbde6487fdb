"""Garbage-collector settings and pause timing for a long-running API process."""

from __future__ import annotations

import bisect
import gc
import time
from collections.abc import Callable

from presentation.api.metrics import Family, Sample, histogram_samples

# CPython's default first-generation threshold (700 allocations) runs a collection every
# few requests; the objects a request allocates are mostly freed by reference counting.
# Every tenth young collection walks all that survived the last ten: with thousands of
# open streams that is a long pause (285-420 ms at 7,000). At 6,000 candidates
# (bench.morning) 20,000 gave six such pauses and a save p99 of 109-112 ms; 50,000 gave
# two, and 50 ms; 100,000 made the young ones long enough to push the start's p99 past
# 500 ms.
YOUNG_THRESHOLD = 50_000


def settle_heap() -> None:
    """Move everything alive after start-up (modules, the app, the DI graph) out of the
    collector's reach and collect the young generation less often.

    Without this a full collection walks every imported module's objects, and on a loaded
    machine that pause lands on the tail latency of whichever requests are in flight.
    """
    gc.collect()
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, middle, old)


# Seconds: a young collection takes well under a millisecond on a quiet heap, tens with
# thousands of streams open; a middle or full one over such a heap, hundreds. Every
# request in flight waits for it.
PAUSE_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1)


class CollectorPauses:
    """Times every collection of the process's garbage collector, per generation, for
    GET /metrics: a callback per collection (a few dozen a second under load at most),
    nothing per request. A pause holds every request in flight, so these are the first
    place to look when tail latency jumps."""

    def __init__(self, clock: Callable[[], float] = time.perf_counter) -> None:
        self._clock = clock
        self._started = 0.0
        self._buckets = [[0] * (len(PAUSE_BUCKETS) + 1) for _ in range(3)]
        self._seconds = [0.0, 0.0, 0.0]

    def install(self) -> None:
        if self._observe not in gc.callbacks:
            gc.callbacks.append(self._observe)

    def uninstall(self) -> None:
        if self._observe in gc.callbacks:
            gc.callbacks.remove(self._observe)

    def _observe(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = self._clock()
            return
        pause = self._clock() - self._started
        generation = info["generation"]
        self._buckets[generation][bisect.bisect_left(PAUSE_BUCKETS, pause)] += 1
        self._seconds[generation] += pause

    def families(self) -> list[Family]:
        samples: list[Sample] = []
        for generation, buckets in enumerate(self._buckets):
            labels = {"generation": str(generation)}
            seconds = self._seconds[generation]
            samples.extend(histogram_samples(labels, PAUSE_BUCKETS, buckets, seconds))
        help_text = "Garbage-collector pauses of this process, by generation (2: full)."
        return [Family("hourglass_gc_pause_seconds", "histogram", help_text, tuple(samples))]
