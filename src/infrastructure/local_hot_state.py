"""A per-process copy of hot state in front of Redis, for the most frequent reads."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from uuid import UUID

from application.bounded_cache import BoundedCache
from application.ports import AttemptUpdate, HotStateStore
from domain.live_attempt import LiveAttempt


class LocallyCachedHotState:
    """Keeps each attempt's hot state (status, timer) in this process for `ttl_seconds`.

    Autosaves and timer reads ask for the same attempt many times a minute, while its
    timer changes rarely (an extension, a pause, the end) and every such change is
    announced to all processes through live updates, which drop the local copy at once.
    Copies are served only while this process is known to hear those announcements
    (`listening`): when the subscription drops or comes back every copy is dropped, since
    announcements may have been missed. The TTL is a last bound; PostgreSQL still judges
    every write. What a read of the shared store finds, and what a write here has the
    shared store take, becomes the local copy, unless a change of that attempt was
    announced or written here while it was in flight: an old value cannot outlive the
    change that replaced it. A change of another attempt does not stop it (at 9:00 every
    start writes, and every stream's first reads would otherwise go to Redis).
    """

    def __init__(
        self,
        shared: HotStateStore,
        *,
        ttl_seconds: float = 2.0,
        capacity: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._shared = shared
        self._ttl = ttl_seconds
        self._clock = clock
        # The least recently used copy goes first when `capacity` is reached.
        self._copies: BoundedCache[UUID, tuple[LiveAttempt, float]] = BoundedCache(capacity)
        # Reads of the shared store in flight, by attempt: a read keeps what it found only
        # if its own mark is still here when it ends (a change drops the attempt's mark).
        self._reading: dict[UUID, object] = {}
        self._trusted = False
        self._hits = 0
        self._misses = 0

    async def get(self, attempt_id: UUID) -> LiveAttempt | None:
        if not self._trusted:
            return await self._shared.get(attempt_id)
        copy = self._copies.get(attempt_id)
        if copy is not None:
            kept, expires = copy
            if self._clock() < expires:
                self._hits += 1
                return kept.live()  # each caller gets a copy of its own
            self._copies.pop(attempt_id)
        self._misses += 1
        with self._keeping(attempt_id) as keep:
            found = await self._shared.get(attempt_id)
        if found is not None:
            keep(found)
        return found

    async def put(self, attempt: LiveAttempt) -> bool:
        """What the shared store took is kept here too: the standing just written is the
        newest it holds, so the reads right after a write (a start's stream and question
        list) need not ask for it back."""
        self._drop(attempt.id)
        with self._keeping(attempt.id) as keep:
            stored = await self._shared.put(attempt)
        if stored:
            keep(attempt)
        return stored

    async def put_all(self, attempts: Sequence[LiveAttempt]) -> None:
        for attempt in attempts:
            self._drop(attempt.id)
        await self._shared.put_all(attempts)

    async def forget(self, attempt_id: UUID) -> None:
        self._drop(attempt_id)
        await self._shared.forget(attempt_id)

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        for attempt_id in attempt_ids:
            self._drop(attempt_id)
        await self._shared.forget_all(attempt_ids)

    async def stats(self) -> dict[str, object]:
        return {
            **await self._shared.stats(),
            "local_copies": len(self._copies),
            "local_hits": self._hits,
            "local_misses": self._misses,
            "local_copies_trusted": self._trusted,
        }

    def listening(self, listening: bool) -> None:
        """Whether announcements reach this process; either way, forget every copy."""
        self._reading.clear()
        self._copies.clear()
        self._trusted = listening

    def announced(self, update: AttemptUpdate) -> None:
        """A change of this attempt was announced by some process: drop the local copy."""
        self._drop(update.attempt_id)

    def _drop(self, attempt_id: UUID) -> None:
        self._reading.pop(attempt_id, None)
        self._copies.pop(attempt_id)

    @contextmanager
    def _keeping(self, attempt_id: UUID) -> Iterator[Callable[[LiveAttempt], None]]:
        """Around one exchange with the shared store: what it gives may be kept as the
        local copy only if no change of the attempt (announced, or written here) came
        meanwhile, which drops the exchange's mark."""
        mark = self._reading[attempt_id] = object()
        unchanged = False

        def keep(standing: LiveAttempt) -> None:
            if unchanged and self._trusted and self._ttl > 0:
                self._copies.put(attempt_id, (standing.live(), self._clock() + self._ttl))

        try:
            yield keep
        finally:
            unchanged = self._reading.get(attempt_id) is mark
            if unchanged:
                del self._reading[attempt_id]


_: type[HotStateStore] = LocallyCachedHotState
