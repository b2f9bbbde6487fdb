"""The one write of an attempt's copies in Redis (hot state, adaptive state).

Each value starts with the attempt version in ASCII, `<version>:`, so the script compares
versions without decoding the rest. A lower version never replaces a higher one, and
nothing replaces the tombstone a final attempt leaves behind (only the hot state writes
one; for other copies the check never matches). A value without a version prefix
(corrupt, an older format) is overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import redis.asyncio

from domain.attempt import LiveAttempt
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.expiry import AttemptExpiry
from infrastructure.redis.script_pipeline import run_script_pipelined

FINAL_TOMBSTONE = b"F"

_PUT_UNLESS_NEWER = """
local current = redis.call('GET', KEYS[1])
if current then
  if current == ARGV[5] then return 0 end
  local cached = tonumber(string.match(current, '^(%d+):'))
  if cached and cached > tonumber(ARGV[1]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[2], ARGV[3], ARGV[4])
return redis.call('EXISTS', KEYS[1])  -- 0 when its copies' time had already run out
"""


class VersionedPut:
    """Stores an attempt's `<version>:...` value under `key` until its copies expire."""

    __slots__ = ("_client", "_commands", "_expiry", "_script")

    def __init__(
        self, client: redis.asyncio.Redis, commands: RedisCommands, expiry: AttemptExpiry
    ) -> None:
        self._client = client
        self._script = client.register_script(_PUT_UNLESS_NEWER)
        self._commands = commands
        self._expiry = expiry

    async def __call__(self, key: str, attempt: LiveAttempt, value: bytes) -> Any:
        """1 if stored, 0 if a newer version or the tombstone was there, or the copy's
        time to expire had passed already."""
        return await self._commands.run_script(self._script, [key], self._args(attempt, value))

    async def all(self, entries: Sequence[tuple[str, LiveAttempt, bytes]]) -> list[Any]:
        """`self(...)` for each (key, attempt, value), pipelined: one reply each."""
        calls = [([key], self._args(attempt, value)) for key, attempt, value in entries]
        return await run_script_pipelined(self._client, self._script, calls)

    def _args(self, attempt: LiveAttempt, value: bytes) -> list[Any]:
        expiry_unit, expires = self._expiry.option(attempt.timer)
        return [attempt.version, value, expiry_unit, expires, FINAL_TOMBSTONE]
