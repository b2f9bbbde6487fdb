"""The write-rate limit shared by every process, in Redis; per process while Redis is away."""

from __future__ import annotations

import redis.asyncio

from application.ports import ADMITTED, WriteAdmission, WriteRateLimit
from infrastructure.local_write_rate import LocalWriteRateLimit, WriteRate
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys

# GCRA (see WriteRate) in microseconds of Redis's own clock, so processes whose clocks
# disagree still share one count. Replies 0 when admitted, else the microseconds to wait.
# KEYS[1]: the candidate's key. ARGV: interval, tolerance (microseconds).
_ADMIT = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local interval = tonumber(ARGV[1])
local drained_at = math.max(tonumber(redis.call('GET', KEYS[1]) or now), now)
local wait = drained_at - now - tonumber(ARGV[2])
if wait > 0 then
  return math.ceil(wait)
end
drained_at = drained_at + interval
redis.call('SET', KEYS[1], string.format('%.0f', drained_at),
           'PX', math.ceil((drained_at - now) / 1000))
return 0
"""


class RedisWriteRateLimit:
    """One key per candidate, living only until their writes have drained (at most
    burst / rate seconds). When the guard skips Redis (down, or its breaker open), the
    process's own limiter decides: the limit then holds per process, not per deployment."""

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str,
        rate: WriteRate,
        guard: RedisGuard,
        commands: RedisCommands,
    ) -> None:
        self._keys = RedisKeys(prefix)
        self._args = (round(rate.interval * 1e6), round(rate.tolerance * 1e6))
        self._guard = guard
        self._commands = commands
        self._script = client.register_script(_ADMIT)
        self._fallback = LocalWriteRateLimit(rate)

    async def admit(self, candidate_id: str) -> WriteAdmission:
        keys = [self._keys.write_rate(candidate_id)]

        async def shared() -> int:
            return int(await self._commands.run_script(self._script, keys, self._args))

        wait = await self._guard.call("write rate", shared, None)
        if wait is None:
            return self._fallback.admit_now(candidate_id)
        if wait == 0:
            return ADMITTED
        return WriteAdmission(admitted=False, retry_after_seconds=wait / 1e6)


_: type[WriteRateLimit] = RedisWriteRateLimit
