"""A dead Redis is a miss or a no-op, and after the first failure costs nothing."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import pytest
import redis.asyncio

from infrastructure.redis import RedisHotStateStore, RedisProbe, create_redis
from tests.backend import Backend
from tests.integration.redis.attempts import start

pytestmark = pytest.mark.integration

# Nothing listens on port 1: connections are refused at once.
_DEAD_URL = "redis://127.0.0.1:1/0"


@pytest.fixture
async def dead_client() -> AsyncIterator[redis.asyncio.Redis]:
    client = create_redis(_DEAD_URL, timeout_seconds=0.5)
    yield client
    await client.aclose()


@pytest.fixture
def dead_store(dead_client: redis.asyncio.Redis, backend: Backend) -> RedisHotStateStore:
    return RedisHotStateStore(
        dead_client, prefix=backend.key_prefix, network_grace=timedelta(seconds=2)
    )


async def test_outage_is_a_miss_and_a_no_op(dead_store: RedisHotStateStore) -> None:
    attempt = start()
    assert await dead_store.get(attempt.id) is None
    await dead_store.put(attempt)
    await dead_store.forget(attempt.id)


async def test_calls_within_the_cool_down_skip_redis(dead_store: RedisHotStateStore) -> None:
    assert await dead_store.get(uuid4()) is None  # fails and opens the breaker
    started = time.perf_counter()
    assert await dead_store.get(uuid4()) is None
    await dead_store.put(start())
    await dead_store.forget(uuid4())
    assert time.perf_counter() - started < 0.05


async def test_probe_answers_for_a_live_redis(client: redis.asyncio.Redis) -> None:
    probe = RedisProbe(client)
    assert probe.name == "redis"
    assert await probe.ping() is True


async def test_probe_says_no_for_a_dead_redis(dead_client: redis.asyncio.Redis) -> None:
    assert await RedisProbe(dead_client).ping() is False
