"""The answer write's connections: opened on demand, lent in turn, dropped when unsound."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from infrastructure.postgres.answer_connections import AnswerConnections
from tests.backend import Backend


async def test_connections_open_on_first_use_and_are_lent_again(backend: Backend) -> None:
    connections = AnswerConnections(backend.database_url, size=2)
    assert connections.opened == 0
    try:
        async with connections.lend() as first:
            assert await first.fetchval("SELECT 1") == 1
        async with connections.lend() as again:
            assert again is first
        assert connections.opened == 1
    finally:
        await connections.close()


async def test_no_more_than_size_are_lent_at_once(backend: Backend) -> None:
    connections = AnswerConnections(backend.database_url, size=2)
    lent = most = 0

    async def statement() -> None:
        nonlocal lent, most
        async with connections.lend() as connection:
            lent += 1
            most = max(most, lent)
            await connection.fetchval("SELECT pg_sleep(0.01)")
            lent -= 1

    try:
        await asyncio.gather(*(statement() for _ in range(8)))
        assert most == 2
        assert connections.opened == 2
    finally:
        await connections.close()


async def test_a_statement_postgresql_refused_leaves_the_connection_usable(
    backend: Backend,
) -> None:
    connections = AnswerConnections(backend.database_url, size=1)
    try:
        with pytest.raises(asyncpg.DivisionByZeroError):
            async with connections.lend() as connection:
                await connection.fetchval("SELECT 1 / 0")
        async with connections.lend() as again:
            assert again is connection
            assert await again.fetchval("SELECT 2") == 2
    finally:
        await connections.close()


async def test_a_request_cancelled_mid_statement_costs_its_connection_not_the_next_request(
    backend: Backend,
) -> None:
    connections = AnswerConnections(backend.database_url, size=1)
    started = asyncio.Event()

    async def slow() -> None:
        async with connections.lend() as connection:
            started.set()
            await connection.fetchval("SELECT pg_sleep(5)")

    try:
        request = asyncio.ensure_future(slow())
        await started.wait()
        await asyncio.sleep(0.05)
        request.cancel()
        with pytest.raises(asyncio.CancelledError):
            await request
        async with connections.lend() as fresh:
            assert await fresh.fetchval("SELECT 3") == 3
        assert connections.opened == 1
    finally:
        await connections.close()


async def test_closed_connections_lend_nothing(backend: Backend) -> None:
    connections = AnswerConnections(backend.database_url, size=1)
    async with connections.lend() as connection:
        await connection.fetchval("SELECT 1")
    await connections.close()
    assert connection.is_closed()
    with pytest.raises(asyncpg.InterfaceError):
        async with connections.lend():
            pass


async def test_opened_ahead_every_connection_is_idle_and_lent_without_connecting(
    backend: Backend,
) -> None:
    connections = AnswerConnections(backend.database_url, size=3)
    try:
        assert await connections.open_ahead() == 3
        assert connections.opened == 3
        held = [await connections.take() for _ in range(3)]
        assert connections.opened == 3  # all three came from the idle line
        for connection in held:
            await connections.give_back(connection, reusable=True)
    finally:
        await connections.close()


async def test_opening_ahead_a_database_that_is_down_opens_none_and_raises_nothing() -> None:
    connections = AnswerConnections(
        "postgresql://postgres@127.0.0.1:1/none", size=2, connect_timeout=0.5
    )
    assert await connections.open_ahead() == 0
    assert connections.opened == 0
    await connections.close()


async def test_opening_ahead_cancelled_gives_back_what_it_opened(backend: Backend) -> None:
    connections = AnswerConnections(backend.database_url, size=4)
    try:
        opening = asyncio.ensure_future(connections.open_ahead())
        await asyncio.sleep(0)
        opening.cancel()
        with pytest.raises(asyncio.CancelledError):
            await opening
        # Whatever opened is idle, and every turn is free: four loans at once still work.
        held = [await asyncio.wait_for(connections.take(), 5) for _ in range(4)]
        for connection in held:
            await connections.give_back(connection, reusable=True)
    finally:
        await connections.close()
