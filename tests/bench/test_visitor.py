"""The morning's candidate browser resends a request whose kept connection the server
closed before reading it, as browsers do, and nothing else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import pytest
from bench.morning.http import HttpError
from bench.morning.visitor import Visitor

OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"

# What the server does with the n-th request it reads on a connection (0-based).
Behaviour = Callable[[int, asyncio.StreamWriter], bool]  # True: answered, keep reading


@asynccontextmanager
async def server(behaviour: Behaviour) -> AsyncIterator[tuple[int, list[int]]]:
    connections: list[int] = []  # requests read per connection

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections.append(0)
        index = len(connections) - 1
        while True:
            try:
                await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()  # the client hung up
                return
            served = connections[index]
            connections[index] += 1
            if not behaviour(served, writer):
                writer.close()
                return
            await writer.drain()

    listening = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listening.sockets[0].getsockname()[1]
    try:
        yield port, connections
    finally:
        listening.close()
        await listening.wait_closed()


def _closes_its_second_request_unread(served: int, writer: asyncio.StreamWriter) -> bool:
    if served == 1:
        return False  # as an idle timer firing before the loaded server read it
    writer.write(OK)
    return True


async def test_a_request_the_server_closed_unread_goes_again_on_a_new_connection() -> None:
    async with server(_closes_its_second_request_unread) as (port, connections):
        visitor = Visitor("127.0.0.1", port, "token", timeout=5)
        assert await visitor.request("GET", "/a") == (200, b"ok")
        assert await visitor.request("POST", "/submit") == (200, b"ok")
        visitor.close()

    assert visitor.resent == 1
    assert connections == [2, 1]


async def test_a_request_half_answered_is_not_resent() -> None:
    def half_answers_the_second(served: int, writer: asyncio.StreamWriter) -> bool:
        writer.write(OK if served == 0 else b"HTTP/1.1 200 OK\r\nContent-Le")
        return served == 0

    async with server(half_answers_the_second) as (port, connections):
        visitor = Visitor("127.0.0.1", port, "token", timeout=5)
        await visitor.request("GET", "/a")
        with pytest.raises(HttpError):
            await visitor.request("POST", "/submit")
        visitor.close()

    assert visitor.resent == 0
    assert connections == [2]


async def test_a_new_connection_closed_unread_is_the_request_s_failure() -> None:
    async with server(lambda served, writer: False) as (port, connections):
        visitor = Visitor("127.0.0.1", port, "token", timeout=5)
        with pytest.raises(HttpError):
            await visitor.request("POST", "/start")
        visitor.close()

    assert visitor.resent == 0
    assert connections == [1]
