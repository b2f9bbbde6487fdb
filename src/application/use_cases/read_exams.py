from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import ExamNotFound
from application.ports import ExamListPosition, ExamRepository, ExamSummary
from domain.exam import Exam


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamListQuery:
    after: ExamListPosition | None = None
    limit: int


@dataclass(frozen=True, slots=True)
class ExamListPage:
    summaries: list[ExamSummary]
    next_after: ExamListPosition | None  # None on the last page


class ListExams:
    """One page of exam summaries, oldest first; any caller may list (no keys in them)."""

    def __init__(self, exams: ExamRepository) -> None:
        self._exams = exams

    async def __call__(self, query: ExamListQuery) -> ExamListPage:
        # One more than asked says whether another page follows, without a count.
        found = await self._exams.summaries(after=query.after, limit=query.limit + 1)
        page = found[: query.limit]
        more = len(found) > query.limit
        return ExamListPage(page, page[-1].position if more else None)


class GetExam:
    """One exam by id."""

    def __init__(self, exams: ExamRepository) -> None:
        self._exams = exams

    async def __call__(self, exam_id: UUID) -> Exam:
        exam = await self._exams.get(exam_id)
        if exam is None:
            raise ExamNotFound()
        return exam
