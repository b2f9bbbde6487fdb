"""The write-rate limit in real Redis: shared by processes, per process when Redis is away."""

from __future__ import annotations

import uuid

import pytest
import redis.asyncio

from infrastructure.local_write_rate import WriteRate
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys
from infrastructure.redis.write_rate import RedisWriteRateLimit
from tests.backend import Backend

pytestmark = pytest.mark.integration


def _limit(
    client: redis.asyncio.Redis, commands: RedisCommands, backend: Backend, rate: WriteRate
) -> RedisWriteRateLimit:
    return RedisWriteRateLimit(
        client, prefix=backend.key_prefix, rate=rate, guard=RedisGuard(), commands=commands
    )


async def test_processes_share_one_count_in_redis(
    client: redis.asyncio.Redis, commands: RedisCommands, backend: Backend
) -> None:
    rate = WriteRate(per_second=0.5, burst=4)  # slow refill: the test's own time is noise
    first, second = (_limit(client, commands, backend, rate) for _ in range(2))
    candidate = f"cand-{uuid.uuid4().hex}"
    admitted = [(await limit.admit(candidate)).admitted for limit in (first, second) * 2]
    assert admitted == [True, True, True, True]
    refused = await second.admit(candidate)
    assert not refused.admitted
    assert 1.5 < refused.retry_after_seconds <= 2.0  # one interval, less the time spent
    assert (await first.admit(f"other-{candidate}")).admitted


async def test_the_key_lives_only_until_the_writes_have_drained(
    client: redis.asyncio.Redis, commands: RedisCommands, backend: Backend
) -> None:
    limit = _limit(client, commands, backend, WriteRate(per_second=2.0, burst=2))
    candidate = "cand-{with}-braces"
    key = RedisKeys(backend.key_prefix).write_rate(candidate)
    assert key.count("{") == 1  # the candidate's braces never reach the hash tag
    await limit.admit(candidate)
    await limit.admit(candidate)
    assert 0 < await client.pttl(key) <= 1000  # two writes at 2/s drain within a second


@pytest.mark.redis_outage
async def test_with_redis_down_each_process_limits_by_itself(backend: Backend) -> None:
    from infrastructure.redis import create_redis
    from infrastructure.redis.auto_pipeline import AutoPipeline

    dead = create_redis("redis://127.0.0.1:1/0", timeout_seconds=0.5)
    try:
        limit = _limit(dead, AutoPipeline(dead), backend, WriteRate(per_second=1.0, burst=3))
        admitted = [(await limit.admit("cand-offline")).admitted for _ in range(4)]
    finally:
        await dead.aclose()
    assert admitted == [True, True, True, False]
