"""Fixtures for the Redis adapters, on this run's real Redis or Valkey and key prefix."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from infrastructure.redis import RedisHotStateStore, create_redis
from tests.backend import Backend
from tests.integration.redis.attempts import MARGIN, NETWORK_GRACE


@pytest.fixture(scope="session")
async def client(backend: Backend) -> AsyncIterator[redis.asyncio.Redis]:
    connection = create_redis(backend.redis_url, timeout_seconds=0.5)
    yield connection
    await connection.aclose()


@pytest.fixture
def store(client: redis.asyncio.Redis, backend: Backend) -> RedisHotStateStore:
    return RedisHotStateStore(
        client, prefix=backend.key_prefix, network_grace=NETWORK_GRACE, expiry_margin=MARGIN
    )
