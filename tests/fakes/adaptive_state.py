"""Engine states of adaptive attempts kept in memory, lossy like the Redis adapter."""

from __future__ import annotations

from uuid import UUID

from application.ports import AdaptiveStateStore
from domain.adaptive import AdaptiveState
from domain.attempt import LiveAttempt


class InMemoryAdaptiveStateStore(AdaptiveStateStore):
    """Attempt id → (version, state); never lowers a cached version.

    With `down` set it behaves like an unreachable Redis whose adapter swallows the
    outage: reads miss, writes are lost, what it held stays. `reads` and `puts` count
    the calls that reached it.
    """

    def __init__(self) -> None:
        self.down = False
        self.reads = 0
        self.puts = 0
        self.entries: dict[UUID, tuple[int, AdaptiveState]] = {}

    async def get(self, attempt_id: UUID) -> AdaptiveState | None:
        if self.down:
            return None
        self.reads += 1
        cached = self.entries.get(attempt_id)
        return None if cached is None else cached[1]

    async def put(self, attempt: LiveAttempt, state: AdaptiveState) -> None:
        if self.down:
            return
        if attempt.is_final:
            await self.forget(attempt.id)
            return
        cached = self.entries.get(attempt.id)
        if cached is not None and cached[0] > attempt.version:
            return
        self.puts += 1
        self.entries[attempt.id] = (attempt.version, state)

    async def forget(self, attempt_id: UUID) -> None:
        if not self.down:
            self.entries.pop(attempt_id, None)
