"""One shared, pipelined connection: each caller gets its own reply, in any interleaving,
and a broken, stuck or garbled connection fails the waiting callers and is replaced."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from urllib.parse import urlsplit

import pytest
import redis.asyncio
import uvloop
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import DataError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from infrastructure.redis.pipelined_connection import PipelinedConnection
from tests.backend import Backend, cluster_selected

# PipelinedConnection speaks to one server; on a cluster the service uses AutoPipeline
# over redis-py's RedisCluster instead (presentation/bootstrap/providers.py).
pytestmark = pytest.mark.skipif(cluster_selected(), reason="single-server channel")


@pytest.fixture
async def connection(backend: Backend) -> AsyncIterator[PipelinedConnection]:
    connection = PipelinedConnection.from_url(backend.redis_url, timeout_seconds=2.0)
    yield connection
    await connection.close()


async def test_concurrent_callers_each_get_their_own_reply(
    connection: PipelinedConnection, client: redis.asyncio.Redis, backend: Backend
) -> None:
    keys = [f"{backend.key_prefix}:pc:{n}" for n in range(50)]
    try:
        stored = await asyncio.gather(
            *(connection.execute("SET", key, f"value {n}") for n, key in enumerate(keys))
        )
        assert stored == [b"OK"] * len(keys)
        read = await asyncio.gather(*(connection.execute("GET", key) for key in reversed(keys)))
        assert read == [f"value {n}".encode() for n in reversed(range(len(keys)))]
        assert await connection.execute("GET", f"{backend.key_prefix}:pc:missing") is None
        assert await connection.execute("DEL", *keys) == len(keys)
    finally:
        await client.delete(*keys)


async def test_an_error_reply_fails_only_its_own_command(
    connection: PipelinedConnection, client: redis.asyncio.Redis, backend: Backend
) -> None:
    text = f"{backend.key_prefix}:pc:text"
    try:
        await connection.execute("SET", text, b"not a number")
        results = await asyncio.gather(
            connection.execute("INCR", text),
            connection.execute("GET", text),
            connection.execute("NOT-A-COMMAND"),
            connection.execute("GET", text),
            return_exceptions=True,
        )
        assert isinstance(results[0], ResponseError)
        assert isinstance(results[2], ResponseError)
        assert results[1] == results[3] == b"not a number"
    finally:
        await client.delete(text)


async def test_arguments_are_sent_as_redis_reads_them(
    connection: PipelinedConnection, client: redis.asyncio.Redis, backend: Backend
) -> None:
    key = f"{backend.key_prefix}:pc:args"
    try:
        await connection.execute("RPUSH", key, b"\x00\xff bytes", "text é", 42, 2.5)
        assert await client.lrange(key, 0, -1) == [
            b"\x00\xff bytes",
            "text é".encode(),
            b"42",
            b"2.5",
        ]
        with pytest.raises(DataError):
            await connection.execute("SET", key, None)
        with pytest.raises(DataError):
            await connection.execute("SET", key, True)
        assert await connection.execute("LLEN", key) == 4  # the refused ones sent nothing
    finally:
        await client.delete(key)


async def test_a_script_the_server_does_not_know_is_sent_in_full(
    connection: PipelinedConnection, client: redis.asyncio.Redis, backend: Backend
) -> None:
    key = f"{backend.key_prefix}:pc:script"
    # A script text no server has seen (flushing the script cache of a shared server
    # would touch its other users): EVALSHA answers NOSCRIPT first.
    script = client.register_script(
        f"-- {uuid.uuid4()}\nreturn redis.call('SET', KEYS[1], ARGV[1])"
    )
    assert await client.script_exists(script.sha) == [False]
    try:
        assert await connection.run_script(script, [key], ["first"]) == b"OK"
        assert await client.get(key) == b"first"
        assert await client.script_exists(script.sha) == [True]  # EVAL cached it again
        assert await connection.run_script(script, [key], ["second"]) == b"OK"
        assert await client.get(key) == b"second"
    finally:
        await client.delete(key)


async def test_a_cancelled_caller_does_not_shift_the_replies_of_the_others(
    connection: PipelinedConnection, client: redis.asyncio.Redis, backend: Backend
) -> None:
    keys = [f"{backend.key_prefix}:pc:c{n}" for n in range(3)]
    try:
        for n, key in enumerate(keys):
            await connection.execute("SET", key, str(n))
        first = asyncio.ensure_future(connection.execute("GET", keys[0]))
        second = asyncio.ensure_future(connection.execute("GET", keys[1]))
        await asyncio.sleep(0)  # both written
        first.cancel()
        assert await second == b"1"
        assert await connection.execute("GET", keys[2]) == b"2"
        assert first.cancelled()
    finally:
        await client.delete(*keys)


async def test_a_connection_the_server_closed_is_replaced_by_the_next_command(
    connection: PipelinedConnection, client: redis.asyncio.Redis
) -> None:
    own_id = await connection.execute("CLIENT", "ID")
    await client.execute_command("CLIENT", "KILL", "ID", own_id)  # type: ignore[no-untyped-call]
    await asyncio.sleep(0.05)  # the close reaches this process
    assert await connection.execute("PING") == b"PONG"
    assert await connection.execute("CLIENT", "ID") != own_id


async def test_the_database_number_of_the_url_is_selected(backend: Backend) -> None:
    server = urlsplit(backend.redis_url).netloc
    connection = PipelinedConnection.from_url(f"redis://{server}/3", timeout_seconds=2.0)
    try:
        info = await connection.execute("CLIENT", "INFO")
        assert b" db=3 " in info
    finally:
        await connection.close()


def test_only_plain_tcp_urls_are_taken() -> None:
    parsed = PipelinedConnection.from_url("redis://alice:s%40cret@cache:6380/2", timeout_seconds=1)
    assert parsed._address == ("cache", 6380)
    assert parsed._handshake == [("AUTH", "alice", "s@cret"), ("SELECT", 2)]
    assert PipelinedConnection.from_url("redis://:pw@cache", timeout_seconds=1)._handshake == [
        ("AUTH", "pw")
    ]
    for url in ("rediss://cache:6380/0", "unix:///run/redis.sock", "redis:///0"):
        with pytest.raises(ValueError, match="plain redis"):
            PipelinedConnection.from_url(url, timeout_seconds=1)


# --- servers that misbehave -------------------------------------------------------------


async def _server(
    handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> tuple[asyncio.Server, int]:
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, server.sockets[0].getsockname()[1]


async def test_a_server_that_never_answers_fails_the_waiting_callers_with_a_timeout() -> None:
    accepted: list[asyncio.StreamWriter] = []

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        accepted.append(writer)

    server, port = await _server(silent)
    connection = PipelinedConnection(host="127.0.0.1", port=port, timeout_seconds=0.1)
    try:
        results = await asyncio.gather(
            connection.execute("GET", "a"), connection.execute("GET", "b"), return_exceptions=True
        )
        assert all(isinstance(result, RedisTimeoutError) for result in results)
        with pytest.raises(RedisTimeoutError):
            await connection.execute("GET", "c")  # a new connection, just as silent
        assert len(accepted) == 2
    finally:
        await connection.close()
        server.close()


async def test_a_reply_that_cannot_be_parsed_ends_the_connection() -> None:
    async def garbled(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read(100)
        writer.write(b"?what\r\n")
        await writer.drain()

    server, port = await _server(garbled)
    connection = PipelinedConnection(host="127.0.0.1", port=port, timeout_seconds=1.0)
    try:
        with pytest.raises(RedisConnectionError, match="out of step"):
            await connection.execute("GET", "a")
    finally:
        await connection.close()
        server.close()


async def test_nobody_listening_is_a_connection_error() -> None:
    server, port = await _server(lambda reader, writer: asyncio.sleep(0))
    server.close()
    await server.wait_closed()
    connection = PipelinedConnection(host="127.0.0.1", port=port, timeout_seconds=1.0)
    with pytest.raises(RedisConnectionError):
        await connection.execute("PING")


def test_it_runs_on_uvloop_as_the_service_does(backend: Backend) -> None:
    async def scenario() -> list[object]:
        connection = PipelinedConnection.from_url(backend.redis_url, timeout_seconds=2.0)
        try:
            return list(await asyncio.gather(*(connection.execute("PING") for _ in range(3))))
        finally:
            await connection.close()

    assert uvloop.run(scenario()) == [b"PONG"] * 3


async def test_a_connection_attempt_whose_callers_all_gave_up_is_not_reused() -> None:
    connection = PipelinedConnection(host="127.0.0.1", port=1, timeout_seconds=1.0)
    attempts: list[asyncio.Event] = []
    first_started = asyncio.Event()

    async def refused() -> object:
        proceed = asyncio.Event()
        attempts.append(proceed)
        first_started.set()
        await proceed.wait()
        raise RedisConnectionError("refused")

    connection._connect = refused  # type: ignore[method-assign]
    caller = asyncio.ensure_future(connection.execute("PING"))
    await first_started.wait()
    caller.cancel()
    attempts[0].set()
    await asyncio.sleep(0.01)  # the first attempt fails with nobody waiting
    second = asyncio.ensure_future(connection.execute("PING"))
    for _ in range(10):
        await asyncio.sleep(0)
    assert len(attempts) == 2  # a new attempt, not the old failure
    attempts[1].set()
    with pytest.raises(RedisConnectionError):
        await second


async def test_closing_while_connecting_leaves_no_connection_behind(backend: Backend) -> None:
    connection = PipelinedConnection.from_url(backend.redis_url, timeout_seconds=2.0)
    caller = asyncio.ensure_future(connection.execute("PING"))
    await asyncio.sleep(0)  # the attempt to connect has started
    await connection.close()
    with pytest.raises((asyncio.CancelledError, RedisConnectionError)):
        await caller
    await asyncio.sleep(0.05)
    assert connection._link is None
