"""Exam definitions in PostgreSQL, read through a per-process cache."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from functools import partial
from uuid import UUID

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from application.loop_turns import map_in_turns
from application.ports import ExamListPosition, ExamRepository, ExamSummary
from domain.exam import Exam, Question
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.exam_cache import ExamCache, exam_bytes
from infrastructure.postgres.exam_mapping import (
    exam_of,
    exam_row,
    question_row,
    to_question,
    to_summary,
)
from infrastructure.postgres.models import ExamRow, QuestionRow
from infrastructure.postgres.outbox import append_exam_created
from infrastructure.postgres.session_repository import SessionRepository
from infrastructure.postgres.sessions import SessionSource

# ExamCache is re-exported: the cache and the repository are wired together.
__all__ = ["ExamCache", "SqlExamRepository"]


QUESTIONS_PER_STATEMENT = 200


class SqlExamRepository(SessionRepository):
    """Exams and their questions; `get` asks the database once per exam and process."""

    def __init__(self, sessions: SessionSource, cache: ExamCache) -> None:
        super().__init__(sessions)
        self._cache = cache

    @translate_errors
    async def add(self, exam: Exam) -> None:
        await self._session.execute(insert(ExamRow).values(exam_row(exam)))
        rows = await map_in_turns(partial(question_row, exam.id), enumerate(exam.questions))
        # SQLAlchemy prepares a statement's parameters in one go: a few hundred rows at
        # a time keep each stretch short, and each round trip gives the loop its turn.
        for start in range(0, len(rows), QUESTIONS_PER_STATEMENT):
            batch = rows[start : start + QUESTIONS_PER_STATEMENT]
            await self._session.execute(insert(QuestionRow), batch)
        await append_exam_created(self._session, exam, datetime.now(UTC))  # outbox
        _uncommitted(self._session).add(exam.id)

    async def get(self, exam_id: UUID) -> Exam | None:
        # A hit touches no database, so it skips the driver-error translation: every timer
        # read asks for its exam (whether it has sections) and almost always hits.
        cached = self._cache.get(exam_id)
        if cached is not None:
            return cached
        return await self._read(exam_id)

    @translate_errors
    async def _read(self, exam_id: UUID) -> Exam | None:
        row = await self._session.get(ExamRow, exam_id)
        if row is None:
            return None
        questions: list[Question] = []
        # In partitions, so that no stretch of row loading and mapping holds the loop
        # long (an exam has up to 2,000 questions of up to 50 options).
        rows = await self._session.stream_scalars(
            select(QuestionRow).where(QuestionRow.exam_id == exam_id).order_by(QuestionRow.position)
        )
        async for partition in rows.partitions(QUESTIONS_PER_STATEMENT):
            questions.extend(await map_in_turns(to_question, partition))
        exam = exam_of(row, tuple(questions))
        if exam.id not in _uncommitted(self._session):
            # Sizing walks every string: plain Python, which gives up the GIL every few
            # milliseconds, so in a thread it leaves the loop its turns.
            self._cache.put(exam, size=await asyncio.to_thread(exam_bytes, exam))
        return exam

    @translate_errors
    async def summaries(self, *, after: ExamListPosition | None, limit: int) -> list[ExamSummary]:
        # One query: the exams' rows and, per exam, a count on the questions' primary key.
        question_count = (
            select(func.count())
            .select_from(QuestionRow)
            .where(QuestionRow.exam_id == ExamRow.id)
            .correlate(ExamRow)
            .scalar_subquery()
        )
        query = (
            select(ExamRow, question_count).order_by(ExamRow.created_at, ExamRow.id).limit(limit)
        )
        if after is not None:
            position = tuple_(ExamRow.created_at, ExamRow.id)
            query = query.where(position > tuple_(after.created_at, after.exam_id))
        rows = await self._session.execute(query)
        return [to_summary(row, count) for row, count in rows]


def _uncommitted(session: AsyncSession) -> set[UUID]:
    """Exams added in this unit's (maybe rolled back) transaction: never cached."""
    added: set[UUID] = session.info.setdefault("uncommitted_exams", set())
    return added


_: type[ExamRepository] = SqlExamRepository
