"""The sweeper's deadline index: sorted sets of attempts by when they must be finalised."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

import redis.asyncio

from application.ports import DeadlineIndex
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys

# Sharded so a Redis Cluster spreads the index (each shard key is its own hash tag) and
# no single sorted set grows with every attempt in the deployment.
SHARDS = 16


class RedisDeadlineIndex:
    """Members are the attempt's 16 id bytes, scores its finalisation time in epoch ms."""

    def __init__(
        self, client: redis.asyncio.Redis, *, prefix: str, guard: RedisGuard, shards: int = SHARDS
    ) -> None:
        self._client = client
        self._keys = RedisKeys(prefix)
        self._guard = guard
        self._shards = shards

    def _key(self, attempt_id: UUID) -> str:
        return self._keys.deadlines(attempt_id.int % self._shards)

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        score = finalises_at.timestamp() * 1000
        key = self._key(attempt_id)
        await self._guard.call(
            "schedule", lambda: self._client.zadd(key, {attempt_id.bytes: score}), None
        )

    async def unschedule(self, attempt_ids: Iterable[UUID]) -> None:
        by_key: dict[str, list[bytes]] = defaultdict(list)
        for attempt_id in attempt_ids:
            by_key[self._key(attempt_id)].append(attempt_id.bytes)
        if not by_key:
            return

        async def remove() -> None:
            async with self._client.pipeline(transaction=False) as pipe:
                for key, members in by_key.items():
                    pipe.zrem(key, *members)
                await pipe.execute()

        await self._guard.call("unschedule", remove, None)

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        cutoff = now.timestamp() * 1000

        async def read() -> list[UUID]:
            async with self._client.pipeline(transaction=False) as pipe:
                for shard in range(self._shards):
                    key = self._keys.deadlines(shard)
                    pipe.zrangebyscore(key, "-inf", cutoff, start=0, num=limit, withscores=True)
                replies: list[list[tuple[bytes, float]]] = await pipe.execute()
            entries = sorted((score, member) for reply in replies for member, score in reply)
            return [UUID(bytes=member) for _, member in entries[:limit]]

        return await self._guard.call("due", read, [])

    async def size(self) -> int:
        async def count() -> int:
            async with self._client.pipeline(transaction=False) as pipe:
                for shard in range(self._shards):
                    pipe.zcard(self._keys.deadlines(shard))
                return sum(await pipe.execute())

        return await self._guard.call("size", count, 0)


_: type[DeadlineIndex] = RedisDeadlineIndex
