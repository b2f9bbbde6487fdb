"""Commands from concurrent callers share a round trip, and each gets its own reply."""

from __future__ import annotations

import asyncio
import uuid

import pytest
import redis.asyncio
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError

from infrastructure.redis.auto_pipeline import AutoPipeline
from tests.backend import Backend


class CountingPipeline(AutoPipeline):
    """Counts the batches that went out as pipelines, and their sizes."""

    def __init__(self, client: redis.asyncio.Redis) -> None:
        super().__init__(client)
        self.batches: list[int] = []

    async def _send(self, batch):  # type: ignore[no-untyped-def]
        self.batches.append(len(batch))
        return await super()._send(batch)


async def test_concurrent_commands_go_out_together_and_each_gets_its_reply(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    commands = CountingPipeline(client)
    keys = [f"{backend.key_prefix}:ap:{n}" for n in range(20)]
    try:
        stored = await asyncio.gather(
            *(commands.execute("SET", key, f"value {n}") for n, key in enumerate(keys))
        )
        assert stored == [True] * len(keys)
        assert commands.batches == [len(keys)]
        read = await asyncio.gather(*(commands.execute("GET", key) for key in keys))
        assert read == [f"value {n}".encode() for n in range(len(keys))]
    finally:
        await client.delete(*keys)


async def test_a_command_alone_is_sent_without_a_pipeline(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    commands = CountingPipeline(client)
    key = f"{backend.key_prefix}:ap:alone"
    try:
        assert await commands.execute("SET", key, b"x") is True
        assert await commands.execute("GET", key) == b"x"
        assert commands.batches == []
    finally:
        await client.delete(key)


async def test_one_failing_command_does_not_fail_the_others(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    commands = AutoPipeline(client)
    text, listed = f"{backend.key_prefix}:ap:text", f"{backend.key_prefix}:ap:list"
    await client.set(text, b"not a list")
    await client.rpush(listed, b"item")
    try:
        results = await asyncio.gather(
            commands.execute("LLEN", text),  # WRONGTYPE
            commands.execute("LLEN", listed),
            commands.execute("GET", text),
            return_exceptions=True,
        )
        assert isinstance(results[0], ResponseError)
        assert results[1:] == [1, b"not a list"]
        # The leader's own failure is raised to the leader alone.
        results = await asyncio.gather(
            commands.execute("LLEN", text), commands.execute("GET", text), return_exceptions=True
        )
        assert isinstance(results[0], ResponseError)
        assert results[1] == b"not a list"
    finally:
        await client.delete(text, listed)


async def test_a_script_the_server_does_not_know_is_loaded_and_run(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    commands = AutoPipeline(client)
    # A script text no server has seen: EVALSHA answers NOSCRIPT first.
    script = client.register_script(f"-- {uuid.uuid4()}\nreturn redis.call('INCR', KEYS[1])")
    key = f"{backend.key_prefix}:ap:counter"
    try:
        replies = await asyncio.gather(*(commands.run_script(script, [key], []) for _ in range(5)))
        assert sorted(replies) == [1, 2, 3, 4, 5]
        assert await commands.run_script(script, [key], []) == 6
    finally:
        await client.delete(key)


async def test_when_the_leader_is_cancelled_the_others_fail_as_a_redis_outage(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    commands = AutoPipeline(client)
    key = f"{backend.key_prefix}:ap:cancelled"
    leader = asyncio.ensure_future(commands.execute("GET", key))
    follower = asyncio.ensure_future(commands.execute("GET", key))
    await asyncio.sleep(0)  # the leader waits a turn for company; the follower joins it
    leader.cancel()
    with pytest.raises(asyncio.CancelledError):
        await leader
    with pytest.raises(RedisConnectionError):
        await follower
    assert await commands.execute("GET", key) is None  # the next batch is unaffected
