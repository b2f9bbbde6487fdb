from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from application.errors import StorageUnavailable
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exams import SqlExamRepository
from infrastructure.postgres.probe import PostgresProbe
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.integration.postgres.builders import attempts_in, fixed_exam

pytestmark = pytest.mark.integration

NOBODY_LISTENS = "postgresql://postgres@127.0.0.1:1/postgres"


@pytest.fixture
async def unreachable() -> AsyncIterator[AsyncEngine]:
    engine = create_engine(NOBODY_LISTENS, pool_size=1)
    yield engine
    await engine.dispose()


async def test_an_unreachable_server_is_storage_unavailable(unreachable: AsyncEngine) -> None:
    async with create_sessionmaker(unreachable)() as session:
        with pytest.raises(StorageUnavailable):
            await attempts_in(session).get(uuid4())
        with pytest.raises(StorageUnavailable):
            await SqlExamRepository(OneSession(session), ExamCache()).add(fixed_exam())


async def test_a_connection_lost_mid_transaction_is_storage_unavailable(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessions() as session:
        attempts = attempts_in(session)
        await attempts.get(uuid4())
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        with pytest.raises(StorageUnavailable):
            await attempts.get(uuid4())


async def test_a_commit_on_a_lost_connection_is_storage_unavailable(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    async with sessions() as session:
        await SqlExamRepository(OneSession(session), ExamCache()).add(fixed_exam())
        pid = await session.scalar(text("SELECT pg_backend_pid()"))
        async with engine.connect() as other:
            await other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})

        with pytest.raises(StorageUnavailable):
            await SqlTransaction(OneSession(session)).commit()


async def test_the_probe_tells_a_live_server_from_a_dead_one(
    engine: AsyncEngine, unreachable: AsyncEngine
) -> None:
    assert PostgresProbe(engine).name == "postgres"
    assert await PostgresProbe(engine).ping() is True
    assert await PostgresProbe(unreachable).ping() is False


async def test_a_rolled_back_exam_is_gone(sessions: async_sessionmaker[AsyncSession]) -> None:
    exam = fixed_exam()
    async with sessions() as session:
        await SqlExamRepository(OneSession(session), ExamCache()).add(exam)
        await SqlTransaction(OneSession(session)).rollback()
        assert await SqlExamRepository(OneSession(session), ExamCache()).get(exam.id) is None
