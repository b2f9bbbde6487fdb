"""The sweeper's deadline index kept in memory, lossy like the Redis sorted sets."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.ports import DeadlineIndex

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


class InMemoryDeadlineIndex(DeadlineIndex):
    """Attempt id → finalisation time. Not transactional (Redis is not).

    With `down` set it behaves like an unreachable Redis whose adapter swallows the
    outage: `due` finds nothing, `size` is 0, writes are lost; what it held before stays.
    """

    def __init__(self) -> None:
        self.down = False
        self.entries: dict[UUID, datetime] = {}

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        if not self.down:
            self.entries[attempt_id] = finalises_at

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        if self.down:
            return 0
        for attempt_id, finalises_at in entries:
            await self.schedule(attempt_id, finalises_at)
        return len(entries)

    async def unschedule(self, attempt_ids: Iterable[UUID]) -> None:
        ids = list(attempt_ids)  # consumed even when down, as the adapter would
        if not self.down:
            for attempt_id in ids:
                self.entries.pop(attempt_id, None)

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        await asyncio.sleep(0)  # a round trip: lets concurrent passes (and timeouts) in
        if self.down or limit < 1:
            return []
        # To the millisecond, as the Redis scores: a time rounded up, `now` down, so an
        # attempt is never due early; ties go by id bytes.
        cutoff = (now - _EPOCH) // _MILLISECOND
        due = sorted(
            (-(-(at - _EPOCH) // _MILLISECOND), attempt_id.bytes, attempt_id)
            for attempt_id, at in self.entries.items()
        )
        return [attempt_id for score, _, attempt_id in due if score <= cutoff][:limit]

    async def size(self) -> int:
        return 0 if self.down else len(self.entries)
