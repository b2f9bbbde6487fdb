"""At start-up: build the Redis client now, so a wrong topology stops the process."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from dishka import AsyncContainer
from redis.asyncio import Redis

from infrastructure.settings import Settings


def redis_topology_check(
    container: AsyncContainer, settings: Settings
) -> Callable[[], Awaitable[None]]:
    """An on_startup hook: the client's provider checks HOURGLASS_REDIS_CLUSTER against the
    server and raises WrongRedisTopology on a mismatch. Without it the client would be
    built by the first request, and a mismatch would show as that request's 500."""

    async def check() -> None:
        if settings.redis_url is not None:
            await container.get(Redis)

    return check
