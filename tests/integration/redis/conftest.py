"""Fixtures for the Redis adapters, on this run's real Redis or Valkey and key prefix."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import redis.asyncio

from infrastructure.redis import RedisHotStateStore
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.pipelined_connection import PipelinedConnection
from tests.backend import Backend
from tests.integration.redis.attempts import MARGIN, NETWORK_GRACE


@pytest.fixture(scope="session")
async def client(backend: Backend) -> AsyncIterator[redis.asyncio.Redis]:
    connection = await backend.redis_client(timeout_seconds=0.5)
    yield connection
    await connection.aclose()


@pytest.fixture(params=["pipelined connection", "redis-py pool"])
async def commands(
    request: pytest.FixtureRequest, client: redis.asyncio.Redis, backend: Backend
) -> AsyncIterator[RedisCommands]:
    """Both ways the adapters send single commands: the service takes the first on a
    plain redis:// URL and the second on TLS or a Unix socket."""
    if request.param == "redis-py pool":
        yield AutoPipeline(client)
        return
    if backend.redis_cluster:
        pytest.skip("the pipelined connection is the single-server channel")
    connection = PipelinedConnection.from_url(backend.redis_url, timeout_seconds=0.5)
    yield connection
    await connection.close()


@pytest.fixture
def store(
    client: redis.asyncio.Redis, backend: Backend, commands: RedisCommands
) -> RedisHotStateStore:
    return RedisHotStateStore(
        client,
        prefix=backend.key_prefix,
        network_grace=NETWORK_GRACE,
        expiry_margin=MARGIN,
        commands=commands,
    )
