from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol
from uuid import UUID


class DeadlineIndex(Protocol):
    """When each attempt in progress is due to be finalised, for the sweeper (Redis).

    Lossy like all hot state: the sweeper's database pass finds what it forgot. Adapters
    swallow their own outages.
    """

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        """Add the attempt, or move it to its new finalisation time."""
        ...

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        """`schedule` for a batch of attempts (an exam-wide change, a refill after Redis
        restarted), in as few round trips as the store allows; how many were scheduled
        (0 when the store is unreachable)."""
        ...

    async def unschedule(self, attempt_ids: Iterable[UUID]) -> None:
        """Remove attempts that are final (or no longer due at a known time)."""
        ...

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        """Up to `limit` attempts due by `now`, earliest first; never one due after `now`.

        An adapter may keep times to a coarser grain (Redis: whole milliseconds, rounded
        up), so an attempt that fell due less than one grain before `now` may wait for a
        later call: never early, at most one grain late."""
        ...

    async def size(self) -> int:
        """How many attempts are scheduled (0 when unknown)."""
        ...
