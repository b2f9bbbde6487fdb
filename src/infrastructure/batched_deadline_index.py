"""New deadline entries written together, a few milliseconds after they are made."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.ports import DeadlineIndex

logger = logging.getLogger(__name__)

# Long enough that at an exam's start one write carries the entries of many starts, short
# against the sweeper's own pace (a pass every 250 ms by default).
DEFAULT_DELAY_SECONDS = 0.05
# A batch Redis did not take goes out again after this; the service passes the Redis
# breaker's cooldown, so a retry never lands inside it.
RETRY_SECONDS = 2.0
# Beyond this many entries held through an outage, the rest are left to the database pass.
MAX_HELD = 100_000


class BatchedDeadlineIndex:
    """A `DeadlineIndex` whose `schedule` returns at once: the entry is written with every
    other entry scheduled in the next `delay_seconds`, in one `schedule_all`.

    At 9:00 every start schedules its attempt, and each of those was a round trip to Redis
    the start waited for. A batch Redis does not take (an outage, a timeout, the breaker
    open) is held again and retried every `retry_seconds`, up to `max_held` entries; the
    index is lossy by design, so what is still held when the process dies, like what Redis
    loses, is found by the sweeper's database pass.

    The later of two schedules of an attempt wins; `unschedule` and `schedule_all` drop
    what is held for their attempts and wait for the writes under way before going
    through, so an older entry can never land after them, nor be held again when its
    write fails. `due` and `size` write what is held first, so this process's sweeper never
    misses an entry it made.
    """

    def __init__(
        self,
        index: DeadlineIndex,
        *,
        delay_seconds: float = DEFAULT_DELAY_SECONDS,
        retry_seconds: float = RETRY_SECONDS,
        max_held: int = MAX_HELD,
    ) -> None:
        self._index = index
        self._delay = delay_seconds
        self._retry = retry_seconds
        self._max_held = max_held
        self._held: dict[UUID, _Entry] = {}
        # The newest schedule of each attempt held or being written: a write that fails
        # holds an entry again only if it is still its attempt's newest.
        self._newest: dict[UUID, int] = {}
        self._schedules = 0
        self._timer: asyncio.TimerHandle | None = None
        self._writes: set[asyncio.Task[None]] = set()

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        self._schedules += 1
        self._held[attempt_id] = _Entry(attempt_id, finalises_at, self._schedules)
        self._newest[attempt_id] = self._schedules
        self._write_after(self._delay)

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
        """Write every entry held now, and wait for it and the writes already under way."""
        self._write_now()
        await self._written()

    async def close(self) -> None:
        """At shutdown: what is held is written, once; what Redis does not take then is
        left to the database pass."""
        await self.write_held()
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self._held.clear()
        self._newest.clear()

    async def _superseded(self, attempt_ids: Iterable[UUID]) -> None:
        """Forget what is held or being written for these attempts, and let the writes
        under way land first."""
        for attempt_id in attempt_ids:
            self._held.pop(attempt_id, None)
            self._newest.pop(attempt_id, None)
        await self._written()

    async def _written(self) -> None:
        if self._writes:
            await asyncio.gather(*self._writes, return_exceptions=True)

    def _write_after(self, seconds: float) -> None:
        if self._timer is None and self._held:
            self._timer = asyncio.get_running_loop().call_later(seconds, self._write_now)

    def _write_now(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        entries = list(self._held.values())
        self._held.clear()
        if entries:
            task = asyncio.ensure_future(self._write(entries))
            self._writes.add(task)
            task.add_done_callback(self._writes.discard)

    async def _write(self, entries: list[_Entry]) -> None:
        try:
            written = await self._index.schedule_all([(e.attempt_id, e.at) for e in entries])
        except Exception:  # the adapter swallows Redis's faults; anything else is a bug
            logger.exception("writing %d deadline entries failed", len(entries))
            written = 0
        failed = written < len(entries)
        for entry in entries:
            if self._newest.get(entry.attempt_id) != entry.schedule:
                continue  # scheduled anew or removed meanwhile
            if failed and entry.attempt_id not in self._held and self.held < self._max_held:
                self._held[entry.attempt_id] = entry
            else:
                del self._newest[entry.attempt_id]
        if failed:
            self._write_after(self._retry)


@dataclass(frozen=True, slots=True)
class _Entry:
    attempt_id: UUID
    at: datetime
    schedule: int  # which schedule of this process made it, in order


_: type[DeadlineIndex] = BatchedDeadlineIndex
