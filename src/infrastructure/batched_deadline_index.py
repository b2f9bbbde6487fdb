"""New deadline entries written together, a few milliseconds after they are made."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from application.ports import DeadlineIndex

logger = logging.getLogger(__name__)

# Long enough that at an exam's start one write carries the entries of many starts, short
# against the sweeper's own pace (a pass every 250 ms by default).
DEFAULT_DELAY_SECONDS = 0.05


class BatchedDeadlineIndex:
    """A `DeadlineIndex` whose `schedule` returns at once: the entry is written with every
    other entry scheduled in the next `delay_seconds`, in one `schedule_all`.

    At 9:00 every start schedules its attempt, and each of those was a round trip to Redis
    the start waited for. The index is lossy by design (the sweeper's database pass finds
    what it lacks), so an entry held here a few milliseconds loses nothing a Redis outage
    would not: should the process die before the write, that pass finds the attempt.

    The later of two schedules of an attempt wins; `unschedule` and `schedule_all` drop
    what is held for their attempts and wait for the writes under way before going
    through, so an older entry can never land after them. `due` and `size` write what is
    held first, so this process's sweeper never misses an entry it made.
    """

    def __init__(self, index: DeadlineIndex, *, delay_seconds: float = DEFAULT_DELAY_SECONDS):
        self._index = index
        self._delay = delay_seconds
        self._held: dict[UUID, datetime] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._writes: set[asyncio.Task[None]] = set()

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        self._held[attempt_id] = finalises_at
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(self._delay, self._write_soon)

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        await self._superseded(attempt_id for attempt_id, _ in entries)
        return await self._index.schedule_all(entries)

    async def unschedule(self, attempt_ids: Iterable[UUID]) -> None:
        ids = list(attempt_ids)
        await self._superseded(ids)
        await self._index.unschedule(ids)

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        await self.write_held()
        return await self._index.due(now, limit)

    async def size(self) -> int:
        await self.write_held()
        return await self._index.size()

    @property
    def held(self) -> int:
        """Entries not yet written."""
        return len(self._held)

    async def write_held(self) -> None:
        """Write every entry held now, and wait for the writes already under way."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        entries = list(self._held.items())
        self._held.clear()
        if entries:
            await self._index.schedule_all(entries)
        await self._written()

    async def close(self) -> None:
        """At shutdown: nothing held is dropped."""
        await self.write_held()

    async def _superseded(self, attempt_ids: Iterable[UUID]) -> None:
        """Drop what is held for these attempts, and let the writes under way land first."""
        for attempt_id in attempt_ids:
            self._held.pop(attempt_id, None)
        await self._written()

    async def _written(self) -> None:
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)

    def _write_soon(self) -> None:
        self._timer = None
        entries = list(self._held.items())
        self._held.clear()
        if entries:
            task = asyncio.ensure_future(self._write(entries))
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)

    async def _write(self, entries: list[tuple[UUID, datetime]]) -> None:
        try:
            await self._index.schedule_all(entries)
        except Exception:  # the adapter swallows Redis's faults; anything else is a bug
            logger.exception("writing %d deadline entries failed", len(entries))


_: type[DeadlineIndex] = BatchedDeadlineIndex
