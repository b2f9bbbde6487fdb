"""A lossy in-memory copy of attempts in progress, like the Redis adapter keeps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from uuid import UUID

from application.ports import HotStateStore
from domain.attempt import Attempt


class InMemoryHotStateStore(HotStateStore):
    """Keeps status, timer and version only: no answers, no result, no pending events.

    Never lowers a cached version. With `down` set it behaves like an unreachable Redis
    whose adapter swallows the outage: every read misses, every write is a no-op (and
    what it held before stays, as it would on a server that comes back). `journal`,
    when given, records "put <id> v<version>" and "forget <id>" as they take effect.
    """

    def __init__(self, journal: list[str] | None = None) -> None:
        self.down = False
        self.journal = journal if journal is not None else []
        self.reads = 0
        self._entries: dict[UUID, Attempt] = {}

    async def get(self, attempt_id: UUID) -> Attempt | None:
        if self.down:
            return None
        self.reads += 1
        entry = self._entries.get(attempt_id)
        return None if entry is None else _stripped(entry)

    async def put(self, attempt: Attempt) -> None:
        if self.down:
            return
        cached = self._entries.get(attempt.id)
        if cached is not None and cached.version > attempt.version:
            return
        self._entries[attempt.id] = _stripped(attempt)
        self.journal.append(f"put {attempt.id} v{attempt.version}")

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        for attempt_id in attempt_ids:
            await self.forget(attempt_id)

    async def forget(self, attempt_id: UUID) -> None:
        if self.down:
            return
        self._entries.pop(attempt_id, None)
        self.journal.append(f"forget {attempt_id}")

    async def stats(self) -> dict[str, object]:
        if self.down:
            return {}
        return {"keys": len(self._entries)}  # the Redis adapter also reports its memory

    def peek(self, attempt_id: UUID) -> Attempt | None:
        """What is held for the attempt, whether or not the store is down (for asserts)."""
        entry = self._entries.get(attempt_id)
        return None if entry is None else _stripped(entry)

    def plant(self, attempt: Attempt) -> None:
        """Hold this copy as is, e.g. a stale one left from before a change elsewhere."""
        self._entries[attempt.id] = _stripped(attempt)


def _stripped(attempt: Attempt) -> Attempt:
    return replace(attempt, answers={}, result=None, pending_events=[])
