"""An engine on this run's migrated database, and sessions on it, for the adapter tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from infrastructure.postgres.database import create_engine, create_sessionmaker
from tests.backend import Backend

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
