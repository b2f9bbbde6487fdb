"""Long loops over an exam's parts that give the event loop a turn every few
milliseconds, so one large exam never holds every other request on the process
(issue 14: no request blocks the loop for more than 50 ms).

A worker thread would not help: msgspec, SQLAlchemy's row processing and our own
mapping hold the GIL, so the loop's thread waits for them just the same."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from time import perf_counter
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# A tenth of the 50 ms budget: a slice overshoots by at most one item's cost (a question
# with its options: well under a millisecond) and by a garbage collection, and the loop
# may run two slices back to back before a waiting timer's callback (the slice that was
# ready, then the one it made ready while the timer came due). A turn costs tens of
# microseconds: well under 1 % of a slice.
SLICE_SECONDS = 0.005


class LoopTurns:
    """Call `take()` after each piece of work: it yields once its slice is used up."""

    def __init__(self, slice_seconds: float = SLICE_SECONDS) -> None:
        self._slice = slice_seconds
        self._since = perf_counter()

    async def take(self) -> None:
        if perf_counter() - self._since >= self._slice:
            await asyncio.sleep(0)
            self._since = perf_counter()


async def map_in_turns(function: Callable[[T], R], items: Iterable[T]) -> list[R]:
    """`[function(item) for item in items]`, giving the loop a turn every slice."""
    turns = LoopTurns()
    results = []
    for item in items:
        results.append(function(item))
        await turns.take()
    return results
