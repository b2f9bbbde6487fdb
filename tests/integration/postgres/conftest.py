"""An engine on this run's migrated database, and sessions on it, for the adapter tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.answer_writes import AsyncpgAnswerWrites
from infrastructure.postgres.database import create_engine, create_sessionmaker
from tests.backend import Backend
from tests.integration.postgres import builders

# Enough connections for the concurrent-writers test to hold one each.
POOL_SIZE = 25


@pytest.fixture(scope="session")
async def engine(backend: Backend) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(backend.database_url, pool_size=POOL_SIZE)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_sessionmaker(engine)


@pytest.fixture
async def session(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A request-like session: whatever the test leaves uncommitted is rolled back."""
    async with sessions() as session:
        yield session


@pytest.fixture(scope="session", autouse=True)
async def answer_writes(backend: Backend) -> AsyncIterator[AsyncpgAnswerWrites]:
    """The plain asyncpg connections of the answer write, shared by every repository here."""
    connections = AnswerConnections(backend.database_url, size=POOL_SIZE)
    writes = AsyncpgAnswerWrites(connections)
    builders.ANSWER_WRITES = writes
    builders.ANSWER_CONNECTIONS = connections
    yield writes
    await connections.close()
