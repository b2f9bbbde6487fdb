from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.exam import Exam
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exams import SqlExamRepository
from infrastructure.postgres.sessions import OneSession
from tests.integration.postgres.builders import (
    adaptive_exam,
    fixed_exam,
    recorded_statements,
    stored_exam,
)

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("make", [fixed_exam, adaptive_exam])
async def test_an_exam_comes_back_field_for_field_in_question_order(
    sessions: async_sessionmaker[AsyncSession], make: Callable[[], Exam]
) -> None:
    exam = await stored_exam(sessions, make())

    async with sessions() as session:
        loaded = await SqlExamRepository(OneSession(session), ExamCache()).get(exam.id)

    assert loaded == exam
    assert loaded is not None
    assert [q.id for q in loaded.questions] == [q.id for q in exam.questions]


async def test_an_unknown_exam_is_none(session: AsyncSession) -> None:
    assert await SqlExamRepository(OneSession(session), ExamCache()).get(fixed_exam().id) is None


async def test_a_cached_exam_is_not_read_again(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    exam = await stored_exam(sessions)
    cache = ExamCache()
    async with sessions() as session:
        first = await SqlExamRepository(OneSession(session), cache).get(exam.id)

    async with sessions() as session:
        with recorded_statements(engine) as statements:
            again = await SqlExamRepository(OneSession(session), cache).get(exam.id)

    assert again is first
    assert statements == []


async def test_an_exam_added_in_an_uncommitted_transaction_is_not_cached(
    session: AsyncSession,
) -> None:
    cache, exam = ExamCache(), fixed_exam()
    repository = SqlExamRepository(OneSession(session), cache)
    await repository.add(exam)

    assert await repository.get(exam.id) == exam
    await session.rollback()

    assert cache.get(exam.id) is None
    assert await repository.get(exam.id) is None


async def test_list_returns_every_exam_oldest_first_in_two_queries(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    older = await stored_exam(sessions)
    newer = await stored_exam(sessions, adaptive_exam())

    async with sessions() as session:
        with recorded_statements(engine) as statements:
            exams = await SqlExamRepository(OneSession(session), ExamCache()).list()

    ids = [exam.id for exam in exams]
    assert ids.index(older.id) < ids.index(newer.id)
    assert exams[ids.index(newer.id)] == newer
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
