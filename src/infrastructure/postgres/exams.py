"""Exam definitions in PostgreSQL, read through a per-process cache."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import ExamListPosition, ExamRepository, ExamSummary
from domain.exam import Exam
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exam_mapping import exam_row, question_rows, to_exam, to_summary
from infrastructure.postgres.models import ExamRow, QuestionRow
from infrastructure.postgres.outbox import append_exam_created
from infrastructure.postgres.sessions import SessionSource

# ExamCache is re-exported: the cache and the repository are wired together.
__all__ = ["ExamCache", "SqlExamRepository"]


class SqlExamRepository:
    """Exams and their questions; `get` asks the database once per exam and process."""

    def __init__(self, sessions: SessionSource, cache: ExamCache) -> None:
        self._sessions = sessions
        self._cache = cache

    @property
    def _session(self) -> AsyncSession:
        return self._sessions.current

    @translate_errors
    async def add(self, exam: Exam) -> None:
        await self._session.execute(insert(ExamRow).values(exam_row(exam)))
        await self._session.execute(insert(QuestionRow), question_rows(exam))
        await append_exam_created(self._session, exam, datetime.now(UTC))  # outbox
        _uncommitted(self._session).add(exam.id)

    @translate_errors
    async def get(self, exam_id: UUID) -> Exam | None:
        cached = self._cache.get(exam_id)
        if cached is not None:
            return cached
        row = await self._session.get(ExamRow, exam_id)
        if row is None:
            return None
        questions = await self._session.scalars(
            select(QuestionRow).where(QuestionRow.exam_id == exam_id).order_by(QuestionRow.position)
        )
        exam = to_exam(row, questions)
        self._remember(exam)
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

    def _remember(self, exam: Exam) -> None:
        if exam.id not in _uncommitted(self._session):
            self._cache.put(exam)


def _uncommitted(session: AsyncSession) -> set[UUID]:
    """Exams added in this unit's (maybe rolled back) transaction: never cached."""
    added: set[UUID] = session.info.setdefault("uncommitted_exams", set())
    return added


_: type[ExamRepository] = SqlExamRepository
