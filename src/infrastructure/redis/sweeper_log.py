"""The latest sweeper pass, in Redis so every process's admin stats see it."""

from __future__ import annotations

import redis.asyncio
from redis.typing import EncodableT, FieldT

from application.ports import SweeperLog, SweepReport
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys

_KEEP_SECONDS = 24 * 3600


class RedisSweeperLog:
    """A hash of the latest pass (by any sweeper) plus running totals."""

    def __init__(self, client: redis.asyncio.Redis, *, prefix: str, guard: RedisGuard) -> None:
        self._client = client
        self._key = RedisKeys(prefix).sweeper()
        self._guard = guard

    async def record(self, report: SweepReport) -> None:
        fields: dict[FieldT, EncodableT] = {
            "last_started_at": report.started_at.isoformat(),
            "last_finished_at": report.finished_at.isoformat(),
            "last_duration_seconds": (report.finished_at - report.started_at).total_seconds(),
            "last_expired": len(report.expired),
            "last_max_lag_seconds": report.max_lag_seconds,
        }

        async def write() -> None:
            async with self._client.pipeline(transaction=False) as pipe:
                pipe.hset(self._key, mapping=fields)
                pipe.hincrby(self._key, "passes", 1)
                pipe.hincrby(self._key, "total_expired", len(report.expired))
                pipe.expire(self._key, _KEEP_SECONDS)
                await pipe.execute()

        await self._guard.call("sweeper log", write, None)

    async def latest(self) -> dict[str, object]:
        async def read() -> dict[str, object]:
            raw = await self._client.hgetall(self._key)
            return {_text(key): _plain(_text(value)) for key, value in raw.items()}

        return await self._guard.call("sweeper log", read, {})


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


def _plain(text: str) -> object:
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


_: type[SweeperLog] = RedisSweeperLog
