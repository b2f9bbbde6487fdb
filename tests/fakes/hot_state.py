"""A lossy in-memory copy of attempts in progress, like the Redis adapter keeps."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from application.ports import Clock, HotStateStore
from domain.live_attempt import LiveAttempt

# What the Redis adapter keeps by default: a copy outlives the attempt's finalisation by
# EXPIRY_MARGIN, a paused one lives PAUSED_TTL from its last write, a forgotten attempt
# refuses puts for TOMBSTONE.
NETWORK_GRACE = timedelta(seconds=2)
EXPIRY_MARGIN = timedelta(minutes=5)
PAUSED_TTL = timedelta(hours=24)
TOMBSTONE = timedelta(minutes=1)


class InMemoryHotStateStore(HotStateStore):
    """Keeps an attempt's standing only (a `LiveAttempt`: status, timer, version).

    Never lowers a cached version; a final attempt is forgotten rather than kept, and a
    forgotten one refuses puts for a while. With a `clock`, copies and tombstones expire
    as the Redis keys do; without one (most unit tests) they never expire. With `down`
    set it behaves like an unreachable Redis whose adapter swallows the outage: every read
    misses, every write is a no-op (and what it held before stays, as it would on a server
    that comes back). `journal`, when given, records "put <id> v<version>" and
    "forget <id>" as they take effect.
    """

    def __init__(self, journal: list[str] | None = None, *, clock: Clock | None = None) -> None:
        self.down = False
        self.journal = journal if journal is not None else []
        self.reads = 0
        self._clock = clock
        self._entries: dict[UUID, tuple[LiveAttempt, datetime | None]] = {}
        self._tombstones: dict[UUID, datetime | None] = {}

    async def get(self, attempt_id: UUID) -> LiveAttempt | None:
        if self.down:
            return None
        self.reads += 1
        return self.peek(attempt_id)

    async def put(self, attempt: LiveAttempt) -> bool:
        if self.down:
            return False
        if attempt.is_final:
            await self.forget(attempt.id)
            return False
        if attempt.id in self._tombstones and not self._passed(self._tombstones[attempt.id]):
            return False
        cached = self.peek(attempt.id)
        if cached is not None and cached.version > attempt.version:
            return False
        expires_at = self._expiry(attempt)
        if self._passed(expires_at):  # Redis drops a key set to expire in the past
            self._entries.pop(attempt.id, None)
            return False
        self._entries[attempt.id] = (attempt.live(), expires_at)
        self.journal.append(f"put {attempt.id} v{attempt.version}")
        return True

    async def put_all(self, attempts: Sequence[LiveAttempt]) -> None:
        for attempt in attempts:
            await self.put(attempt)

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        for attempt_id in attempt_ids:
            await self.forget(attempt_id)

    async def forget(self, attempt_id: UUID) -> None:
        if self.down:
            return
        self._entries.pop(attempt_id, None)
        self._tombstones[attempt_id] = (
            None if self._clock is None else self._clock.now() + TOMBSTONE
        )
        self.journal.append(f"forget {attempt_id}")

    async def stats(self) -> dict[str, object]:
        if self.down:
            return {}
        return {"keys": len(self._entries)}  # the Redis adapter also reports its memory

    def peek(self, attempt_id: UUID) -> LiveAttempt | None:
        """What is held for the attempt, whether or not the store is down (for asserts)."""
        entry = self._entries.get(attempt_id)
        if entry is None or self._passed(entry[1]):
            return None
        return entry[0].live()

    def evict(self, attempt_id: UUID) -> None:
        """Lose the copy as an eviction, an expiry or a restart of Redis would: a miss, but
        unlike `forget` no tombstone, so the next put is kept."""
        self._entries.pop(attempt_id, None)

    def plant(self, attempt: LiveAttempt) -> None:
        """Hold this copy as is, e.g. a stale one left from before a change elsewhere."""
        self._tombstones.pop(attempt.id, None)
        self._entries[attempt.id] = (attempt.live(), self._expiry(attempt))

    def _expiry(self, attempt: LiveAttempt) -> datetime | None:
        if self._clock is None:
            return None
        if attempt.timer.is_paused:  # the deadline is unknown while paused
            return self._clock.now() + PAUSED_TTL
        return attempt.timer.finalises_at(NETWORK_GRACE) + EXPIRY_MARGIN

    def _passed(self, expires_at: datetime | None) -> bool:
        return (
            self._clock is not None and expires_at is not None and expires_at <= self._clock.now()
        )
