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


async def test_summaries_come_oldest_first_with_their_size_in_one_query(
    sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine
) -> None:
    older = await stored_exam(sessions)
    newer = await stored_exam(sessions, adaptive_exam())

    async with sessions() as session:
        with recorded_statements(engine) as statements:
            listed = await SqlExamRepository(OneSession(session), ExamCache()).summaries(
                after=None, limit=10_000
            )

    ids = [summary.id for summary in listed]
    assert ids.index(older.id) < ids.index(newer.id)
    summary = listed[ids.index(newer.id)]
    assert (summary.title, summary.mode, summary.duration) == (
        newer.title,
        newer.mode,
        newer.duration,
    )
    assert summary.adaptive == newer.adaptive
    assert summary.question_count == len(newer.questions)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 1


async def test_summaries_resume_after_a_position(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    # Three exams committed in one transaction share `created_at`: the id breaks the tie.
    exams = [fixed_exam() for _ in range(3)]
    async with sessions() as session, session.begin():
        for exam in exams:
            await SqlExamRepository(OneSession(session), ExamCache()).add(exam)
    later = await stored_exam(sessions)

    async with sessions() as session:
        repository = SqlExamRepository(OneSession(session), ExamCache())
        everything = await repository.summaries(after=None, limit=10_000)
        ours = [s for s in everything if s.id in {e.id for e in exams} | {later.id}]
        first_page = await repository.summaries(after=ours[0].position, limit=2)
        rest = await repository.summaries(after=first_page[-1].position, limit=10_000)

    assert [s.id for s in first_page] == [s.id for s in ours[1:3]]
    assert ours[-1].id == later.id
    assert rest[0].id == later.id
