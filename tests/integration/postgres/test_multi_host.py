"""Multi-host URLs, as after a failover: the first host is gone, the next accepts writes."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit
from uuid import uuid4

import pytest
from sqlalchemy import text

from application.errors import StorageUnavailable
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.connect import async_engine
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.errors import storage_errors
from tests.backend import Backend
from tests.integration.postgres.builders import attempts_in

pytestmark = pytest.mark.integration


def _behind_a_dead_host(database_url: str, target_session_attrs: str) -> str:
    """postgresql://user@127.0.0.1:1,<the backend's host:port>/db?target_session_attrs=…"""
    parts = urlsplit(database_url)
    if not parts.hostname:
        # The embedded server listens on a Unix socket only; the host list needs TCP
        # hosts (CI runs these against the machine's PostgreSQL on 127.0.0.1).
        pytest.skip("a multi-host URL needs a PostgreSQL reached over TCP")
    user, _, host = parts.netloc.rpartition("@")
    netloc = f"{user}@127.0.0.1:1,{host}" if user else f"127.0.0.1:1,{host}"
    return _wanting(urlunsplit(parts._replace(netloc=netloc)), target_session_attrs)


def _wanting(database_url: str, target_session_attrs: str) -> str:
    parts = urlsplit(database_url)
    query = "&".join(q for q in (parts.query, f"target_session_attrs={target_session_attrs}") if q)
    return urlunsplit(parts._replace(query=query))


async def test_the_engine_finds_the_host_that_accepts_writes(backend: Backend) -> None:
    engine = create_engine(_behind_a_dead_host(backend.database_url, "read-write"), pool_size=1)
    try:
        async with engine.connect() as connection:
            in_recovery = await connection.scalar(text("SELECT pg_is_in_recovery()"))
        assert in_recovery is False
    finally:
        await engine.dispose()


async def test_the_answer_connections_find_the_host_that_accepts_writes(backend: Backend) -> None:
    connections = AnswerConnections(_behind_a_dead_host(backend.database_url, "read-write"), size=1)
    try:
        async with connections.lend() as connection:
            assert await connection.fetchval("SELECT NOT pg_is_in_recovery()") is True
    finally:
        await connections.close()


async def test_no_host_of_the_wanted_kind_is_storage_unavailable(backend: Backend) -> None:
    # The one host answers but is a primary, and a standby is asked for: as for writes
    # while the old primary's host is a standby (asyncpg's TargetServerAttributeNotMatched;
    # when a host refuses the connection, its OSError is raised instead), every request is
    # refused with a 503, never a 500.
    url = _wanting(backend.database_url, "standby")
    engine = create_engine(url, pool_size=1)
    connections = AnswerConnections(url, size=1)
    try:
        async with create_sessionmaker(engine)() as session:
            with pytest.raises(StorageUnavailable):
                await attempts_in(session).get(uuid4())
        with pytest.raises(StorageUnavailable), storage_errors():
            async with connections.lend() as connection:
                await connection.fetchval("SELECT 1")
    finally:
        await connections.close()
        await engine.dispose()


async def test_a_statement_past_the_command_timeout_is_storage_unavailable(
    backend: Backend,
) -> None:
    # What a primary that vanished without closing its sockets looks like to a request.
    engine = async_engine(backend.database_url, command_timeout=0.2, pool_size=1)
    try:
        with pytest.raises(StorageUnavailable), storage_errors():
            async with engine.connect() as connection:
                await connection.execute(text("SELECT pg_sleep(2)"))
    finally:
        await engine.dispose()
