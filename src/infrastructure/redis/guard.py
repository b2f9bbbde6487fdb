"""Every Redis call goes through here: a failure is a miss, never an error for the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisClusterException, RedisError

from infrastructure.faults import PROCESS_FAULTS, FaultCounts
from infrastructure.redis.breaker import CircuitBreaker

T = TypeVar("T")

# How long every Redis adapter skips Redis after a failure.
COOLDOWN_SECONDS = 2.0


class RedisGuard:
    """Runs Redis commands behind one circuit breaker shared by all Redis adapters.

    Redis holds only hot copies of PostgreSQL, so any RedisError (not only connection
    errors: an OOM or a wrong type too) or cluster error is logged and answered with
    `default`. Each such answer is counted in `faults` as a fallback of the operation's
    path, and each error by its class, for GET /metrics.
    """

    def __init__(
        self, breaker: CircuitBreaker | None = None, faults: FaultCounts = PROCESS_FAULTS
    ) -> None:
        self._faults = faults
        self._breaker = breaker or CircuitBreaker(
            cooldown_seconds=COOLDOWN_SECONDS, log_every_seconds=10.0, faults=faults
        )

    @property
    def redis_unavailable(self) -> bool:
        """Whether the breaker is open: Redis failed last and has not answered since."""
        return self._breaker.is_open

    async def call(self, operation: str, command: Callable[[], Awaitable[T]], default: T) -> T:
        if not self._breaker.allows():
            self._faults.fell_back(operation)
            return default
        try:
            reply = await command()
        # RedisClusterException is no RedisError (no reachable node, no slot map, a
        # command redis-py will not pipeline): as much a reason to serve from PostgreSQL.
        except (RedisError, RedisClusterException, OSError) as error:  # TimeoutError: OSError
            self._faults.redis_failed(error)
            self._faults.fell_back(operation)
            self._breaker.failed(operation, error)
            return default
        self._breaker.succeeded()
        return reply
