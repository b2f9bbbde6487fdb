"""Readiness probe for Redis."""

from __future__ import annotations

import asyncio
import logging

import redis.asyncio
from redis.exceptions import RedisClusterException, RedisError

from application.ports import Probe

logger = logging.getLogger(__name__)

_PING_TIMEOUT_SECONDS = 1.0


class RedisProbe:
    """Answers whether Redis replies to PING within a second.

    It bypasses the hot-state circuit breaker on purpose: readiness must report what
    Redis does now, not what the store last saw.
    """

    name = "redis"

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self._client = client

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(_PING_TIMEOUT_SECONDS):
                return bool(await self._client.ping())
        except (RedisError, RedisClusterException, OSError) as error:  # TimeoutError is an OSError
            logger.info("redis did not answer PING: %s: %s", type(error).__name__, error)
            return False


_: type[Probe] = RedisProbe
