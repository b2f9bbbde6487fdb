"""Hot state of attempts in progress, in Redis."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from typing import Any
from uuid import UUID

import redis.asyncio

from application.ports import HotStateStore
from domain.live_attempt import LiveAttempt
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.breaker import CircuitBreaker
from infrastructure.redis.codec import CorruptHotState, decode_attempt, encode_attempt
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.expiry import AttemptExpiry
from infrastructure.redis.guard import COOLDOWN_SECONDS, RedisGuard
from infrastructure.redis.keys import RedisKeys
from infrastructure.redis.server_stats import memory_and_keys
from infrastructure.redis.versioned_put import FINAL_TOMBSTONE, VersionedPut

logger = logging.getLogger(__name__)


# A final attempt leaves the tombstone behind for a minute: a request that read the
# attempt in progress just before it became final may still try to put it back.
_TOMBSTONE_MS = 60_000


class RedisHotStateStore:
    """Attempts in progress (timer, owner, exam, version) under `<prefix>:a:{<attempt tag>}`.

    App-scoped and shared by concurrent requests. Each key expires `expiry_margin` after
    the attempt would be finalised, an absolute time taken from the timer, so no clock is
    needed; a paused attempt's deadline keeps moving, so it gets `paused_ttl` instead.
    Every Redis failure is logged and turned into a miss or a no-op (PostgreSQL is the
    source of truth), and opens a circuit breaker so an outage costs one timeout, not one
    per request. Any RedisError counts, not only connection errors: an OOM or a wrong
    type is as much a reason to serve from PostgreSQL.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str,
        network_grace: timedelta,
        expiry_margin: timedelta = timedelta(minutes=5),
        paused_ttl: timedelta = timedelta(hours=24),
        cooldown_seconds: float = COOLDOWN_SECONDS,
        guard: RedisGuard | None = None,
        commands: RedisCommands | None = None,
    ) -> None:
        self._client = client
        self._keys = RedisKeys(prefix)
        self._commands: RedisCommands = commands or AutoPipeline(client)
        expiry = AttemptExpiry(network_grace, expiry_margin, paused_ttl)
        self._put = VersionedPut(client, self._commands, expiry)
        self._guard = guard or RedisGuard(
            CircuitBreaker(cooldown_seconds=cooldown_seconds, log_every_seconds=10.0)
        )

    async def get(self, attempt_id: UUID) -> LiveAttempt | None:
        key = self._keys.attempt(attempt_id)
        data: bytes | None = await self._call("get", lambda: self._commands.execute("GET", key))
        if data is None or data == FINAL_TOMBSTONE:
            return None
        try:
            return decode_attempt(attempt_id, data)
        except CorruptHotState as error:
            logger.warning("dropping unreadable hot state of attempt %s: %s", attempt_id, error)
            await self._call("drop", lambda: self._commands.execute("DEL", key))
            return None

    async def put(self, attempt: LiveAttempt) -> bool:
        if attempt.is_final:
            # Final attempts are not hot; a stale copy would only mislead readers.
            await self.forget(attempt.id)
            return False
        key, value = self._keys.attempt(attempt.id), encode_attempt(attempt)
        stored = await self._call("put", lambda: self._put(key, attempt, value))
        return bool(stored == 1)

    async def put_all(self, attempts: Sequence[LiveAttempt]) -> None:
        final = [attempt.id for attempt in attempts if attempt.is_final]
        if final:
            await self.forget_all(final)
        entries = [
            (self._keys.attempt(attempt.id), attempt, encode_attempt(attempt))
            for attempt in attempts
            if not attempt.is_final
        ]
        if entries:
            await self._call("put", lambda: self._put.all(entries))

    async def forget(self, attempt_id: UUID) -> None:
        key = self._keys.attempt(attempt_id)
        tombstone = ("SET", key, FINAL_TOMBSTONE, "PX", _TOMBSTONE_MS)
        await self._call("forget", lambda: self._commands.execute(*tombstone))

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        if not attempt_ids:
            return
        if len(attempt_ids) == 1:  # a submit: one command on the shared connection, no pipeline
            await self.forget(attempt_ids[0])
            return

        async def tombstones() -> None:
            async with self._client.pipeline(transaction=False) as pipe:
                for attempt_id in attempt_ids:
                    pipe.set(self._keys.attempt(attempt_id), FINAL_TOMBSTONE, px=_TOMBSTONE_MS)
                await pipe.execute()

        await self._call("forget", tombstones)

    async def stats(self) -> dict[str, object]:
        return await self._guard.call("stats", lambda: memory_and_keys(self._client), {})

    async def _call(self, operation: str, command: Callable[[], Awaitable[Any]]) -> Any:
        """The command's reply, or None when Redis is skipped or fails."""
        return await self._guard.call(operation, command, None)


_: type[HotStateStore] = RedisHotStateStore
