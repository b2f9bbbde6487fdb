"""Attempt updates fanned out in memory, like Redis pub/sub between API processes."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from uuid import UUID

from application.ports import AttemptUpdate, LiveUpdates, UpdateKind

# As in the Redis adapter: a watcher this far behind loses newer updates rather than
# holding memory (watchers re-read the attempt on their own).
BACKLOG = 32


class FakeLiveUpdates(LiveUpdates):
    """Records every publish in `published`; a watcher hears what is published after it
    subscribed (entering `watch`) until it leaves, at most BACKLOG unread. With `down` set,
    publishes are lost (recorded in `lost`), as pub/sub messages are when Redis is
    unreachable."""

    def __init__(self) -> None:
        self.down = False
        self.published: list[AttemptUpdate] = []
        self.lost: list[AttemptUpdate] = []
        self._watchers: dict[UUID, list[asyncio.Queue[AttemptUpdate]]] = {}
        self._every: list[asyncio.Queue[AttemptUpdate]] = []

    async def publish_all(self, updates: Sequence[AttemptUpdate]) -> None:
        for update in updates:
            await self.publish(update)

    async def publish(self, update: AttemptUpdate) -> None:
        if self.down:
            self.lost.append(update)
            return
        self.published.append(update)
        for queue in [*self._watchers.get(update.attempt_id, []), *self._every]:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(update)

    @asynccontextmanager
    async def watch(self, attempt_id: UUID) -> AsyncIterator[AsyncIterator[AttemptUpdate]]:
        queue: asyncio.Queue[AttemptUpdate] = asyncio.Queue(BACKLOG)
        self._watchers.setdefault(attempt_id, []).append(queue)
        try:
            yield _Updates(queue)
        finally:
            self._watchers[attempt_id].remove(queue)
            if not self._watchers[attempt_id]:
                del self._watchers[attempt_id]

    @asynccontextmanager
    async def watch_every(self) -> AsyncIterator[AsyncIterator[AttemptUpdate]]:
        queue: asyncio.Queue[AttemptUpdate] = asyncio.Queue(BACKLOG)
        self._every.append(queue)
        try:
            yield _Updates(queue)
        finally:
            self._every.remove(queue)

    def resync(self) -> None:
        """The subscription came back after a gap: every watcher hears a RESYNC (with its
        attempt's id, or a nil id when it watches every attempt), as from the adapter."""
        for attempt_id, queues in self._watchers.items():
            for queue in queues:
                with contextlib.suppress(asyncio.QueueFull):
                    queue.put_nowait(_resync(attempt_id))
        for queue in self._every:
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait(_resync(UUID(int=0)))

    def watchers(self, attempt_id: UUID) -> int:
        """How many watchers are subscribed to the attempt now."""
        return len(self._watchers.get(attempt_id, []))


class _Updates(AsyncIterator[AttemptUpdate]):
    """Never ends by itself: the subscription lasts as long as the watch."""

    def __init__(self, queue: asyncio.Queue[AttemptUpdate]) -> None:
        self._queue = queue

    async def __anext__(self) -> AttemptUpdate:
        return await self._queue.get()


def _resync(attempt_id: UUID) -> AttemptUpdate:
    return AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.RESYNC, reason="")
