"""Exam definitions in PostgreSQL, read through a per-process cache."""

from __future__ import annotations

import builtins
from itertools import groupby
from uuid import UUID

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import ExamRepository
from domain.exam import Exam
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exam_mapping import exam_row, question_rows, to_exam
from infrastructure.postgres.models import ExamRow, QuestionRow
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
    async def list(self) -> builtins.list[Exam]:
        # Two queries whatever the number of exams: every exam, then every question.
        rows = await self._session.scalars(select(ExamRow).order_by(ExamRow.created_at, ExamRow.id))
        questions = await self._session.scalars(
            select(QuestionRow).order_by(QuestionRow.exam_id, QuestionRow.position)
        )
        by_exam = {
            exam_id: list(group) for exam_id, group in groupby(questions, lambda q: q.exam_id)
        }
        exams = [to_exam(row, by_exam.get(row.id, [])) for row in rows]
        for exam in exams:
            self._remember(exam)
        return exams

    def _remember(self, exam: Exam) -> None:
        if exam.id not in _uncommitted(self._session):
            self._cache.put(exam)


def _uncommitted(session: AsyncSession) -> set[UUID]:
    """Exams added in this unit's (maybe rolled back) transaction: never cached."""
    added: set[UUID] = session.info.setdefault("uncommitted_exams", set())
    return added


_: type[ExamRepository] = SqlExamRepository
