"""Every Redis call goes through here: a failure is a miss, never an error for the request."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import RedisError

from infrastructure.redis.breaker import CircuitBreaker

T = TypeVar("T")


class RedisGuard:
    """Runs Redis commands behind one circuit breaker shared by all Redis adapters.

    Redis holds only hot copies of PostgreSQL, so any RedisError (not only connection
    errors: an OOM or a wrong type too) is logged and answered with `default`.
    """

    def __init__(self, breaker: CircuitBreaker | None = None) -> None:
        self._breaker = breaker or CircuitBreaker(cooldown_seconds=2.0, log_every_seconds=10.0)

    async def call(self, operation: str, command: Callable[[], Awaitable[T]], default: T) -> T:
        if not self._breaker.allows():
            return default
        try:
            reply = await command()
        except (RedisError, OSError) as error:  # TimeoutError is an OSError
            self._breaker.failed(operation, error)
            return default
        self._breaker.succeeded()
        return reply
