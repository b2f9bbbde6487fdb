from __future__ import annotations

from uuid import UUID

from application.errors import ExamNotFound
from application.ports import ExamRepository
from domain.exam import Exam


class ListExams:
    """Every exam; presentation hides correct keys from candidates."""

    def __init__(self, exams: ExamRepository) -> None:
        self._exams = exams

    async def __call__(self) -> list[Exam]:
        return await self._exams.list()


class GetExam:
    """One exam by id."""

    def __init__(self, exams: ExamRepository) -> None:
        self._exams = exams

    async def __call__(self, exam_id: UUID) -> Exam:
        exam = await self._exams.get(exam_id)
        if exam is None:
            raise ExamNotFound()
        return exam
