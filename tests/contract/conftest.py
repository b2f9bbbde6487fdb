"""Both sides of every contract: the fake, and the real adapter on this run's servers.

A suite's fixture is parametrised over SIDES; only the real side asks for the servers
(through `request.getfixturevalue`), so the fake side runs without them.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
import redis.asyncio
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.redis import create_redis
from tests.backend import Backend
from tests.contract.units import DurableStore, InMemoryStore, PostgresStore

SIDES = ["fake", pytest.param("real", marks=pytest.mark.integration)]


def closed_port() -> int:
    """A local port nobody listens on (taken from the OS, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture(scope="session")
async def redis_client(backend: Backend) -> AsyncIterator[redis.asyncio.Redis]:
    client = await backend.redis_client(timeout_seconds=0.5)
    yield client
    await client.aclose()


@pytest.fixture
def redis_prefix(backend: Backend) -> str:
    """A key prefix of this test's own under the run's prefix (removed with it at the end):
    the deadline index, the live channel and the sweeper log are one per prefix."""
    return f"{backend.key_prefix}c{uuid4().hex[:8]}"


@pytest.fixture
async def unreachable_redis() -> AsyncIterator[redis.asyncio.Redis]:
    """A client of a Redis that is not there: every command fails at once."""
    client = create_redis(f"redis://127.0.0.1:{closed_port()}/0", timeout_seconds=0.2)
    yield client
    await client.aclose()


@pytest.fixture(scope="session")
async def postgres_engine(backend: Backend) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(backend.database_url, pool_size=5)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def postgres_sessions(postgres_engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(postgres_engine)


@pytest.fixture(params=SIDES)
def durable(request: pytest.FixtureRequest) -> DurableStore:
    """The durable store: the in-memory fakes, or PostgreSQL through the SQL adapters."""
    if request.param == "fake":
        return InMemoryStore()
    return PostgresStore(request.getfixturevalue("postgres_sessions"))


@pytest.fixture
async def unreachable_postgres() -> AsyncIterator[AsyncEngine]:
    """An engine for a PostgreSQL that is not there: every connection is refused."""
    engine = create_engine(f"postgresql://postgres@127.0.0.1:{closed_port()}/none", pool_size=1)
    yield engine
    await engine.dispose()
