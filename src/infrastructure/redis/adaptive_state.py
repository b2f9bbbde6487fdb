"""Engine states of adaptive attempts in Redis: `<version>:<adaptive_codec bytes>`."""

from __future__ import annotations

import logging
from datetime import timedelta
from uuid import UUID

import redis.asyncio

from application.ports import AdaptiveStateStore
from domain.adaptive import AdaptiveState
from domain.attempt import LiveAttempt
from infrastructure.redis.adaptive_codec import CorruptAdaptiveState, decode_state, encode_state
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.expiry import AttemptExpiry
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys
from infrastructure.redis.versioned_put import VersionedPut

logger = logging.getLogger(__name__)


class RedisAdaptiveStateStore:
    """States under `<prefix>:cat:{<attempt tag>}`, beside the attempt's hot state (same slot).

    The value is the attempt version the state belongs to, a colon, and the engine's
    compact encoding (administered bank indices, right/wrong bits, theta, se: about 135
    bytes for 50 items); never an option, a key or an item parameter. It expires
    `expiry_margin` after the attempt would be finalised (`paused_ttl` while paused).
    Every Redis failure is a miss or a no-op through the shared guard.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str,
        network_grace: timedelta,
        guard: RedisGuard,
        commands: RedisCommands | None = None,
        expiry_margin: timedelta = timedelta(minutes=5),
        paused_ttl: timedelta = timedelta(hours=24),
    ) -> None:
        self._keys = RedisKeys(prefix)
        self._guard = guard
        self._commands: RedisCommands = commands or AutoPipeline(client)
        expiry = AttemptExpiry(network_grace, expiry_margin, paused_ttl)
        self._put = VersionedPut(client, self._commands, expiry)

    async def get(self, attempt_id: UUID) -> AdaptiveState | None:
        key = self._keys.adaptive(attempt_id)
        data = await self._guard.call("cat get", lambda: self._commands.execute("GET", key), None)
        if not isinstance(data, bytes):  # decode_responses is off: bytes, or None on a miss
            return None
        # Unreadable: a miss, so the caller replays and its put overwrites this.
        version, sep, encoded = data.partition(b":")
        if not sep or not version.isdigit():
            logger.warning("ignoring adaptive state of %s without a version", attempt_id)
            return None
        try:
            return decode_state(encoded)
        except CorruptAdaptiveState as error:
            logger.warning("ignoring unreadable adaptive state of %s: %s", attempt_id, error)
            return None

    async def put(self, attempt: LiveAttempt, state: AdaptiveState) -> None:
        if attempt.is_final:
            await self.forget(attempt.id)
            return
        key = self._keys.adaptive(attempt.id)
        value = b"%d:%b" % (attempt.version, encode_state(state))
        await self._guard.call("cat put", lambda: self._put(key, attempt, value), None)

    async def forget(self, attempt_id: UUID) -> None:
        key = self._keys.adaptive(attempt_id)
        await self._guard.call("cat forget", lambda: self._commands.execute("DEL", key), None)


_: type[AdaptiveStateStore] = RedisAdaptiveStateStore
