"""An exam's results for the platform: a row per final attempt, points per question."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from uuid import UUID

from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import ExamRepository
from application.ports.exam_regrades import ExamRegrades
from application.ports.final_results import FinalAttempt, FinalResults
from domain.exam import Exam
from domain.regrade import regraded
from domain.result import AttemptResult
from domain.result_sheet import question_points

# Rows read and written per step: large enough that the cursor's round trips cost little,
# small enough that memory stays flat (docs/operations.md, "Results export").
BATCH_SIZE = 500


@dataclass(frozen=True, slots=True, kw_only=True)
class ResultLine:
    attempt_id: UUID
    candidate_id: str
    result: AttemptResult
    points: list[float | None]  # in the order of `ResultsExport.question_ids`


@dataclass(frozen=True, slots=True)
class ResultsExport:
    """The exam's question ids (one column each) and its result lines, read lazily."""

    question_ids: list[str]
    batches: AsyncIterator[list[ResultLine]]


class ExportResults:
    """An admin exports an exam's final attempts. The exam is checked now (404 before any
    byte is sent); the attempts are read as the caller consumes `batches`."""

    def __init__(
        self, exams: ExamRepository, results: FinalResults, regrades: ExamRegrades
    ) -> None:
        self._exams = exams
        self._results = results
        self._regrades = regrades

    async def __call__(self, actor: Actor, exam_id: UUID) -> ResultsExport:
        ensure_admin(actor)
        exam = await self._exams.get(exam_id)
        if exam is None:
            raise ExamNotFound()
        # A question's column shows its points as the results were scored: after regrades.
        exam = regraded(exam, await self._regrades.of_exam(exam_id))
        batches = self._results.of_exam(exam_id, batch_size=BATCH_SIZE)
        return ResultsExport([q.id for q in exam.questions], _lines(exam, batches))


async def _lines(
    exam: Exam, batches: AsyncIterator[Sequence[FinalAttempt]]
) -> AsyncIterator[list[ResultLine]]:
    async for batch in batches:
        yield [
            ResultLine(
                attempt_id=final.attempt_id,
                candidate_id=final.candidate_id,
                result=final.result,
                points=question_points(exam, final.answers, final.given, final.awarded),
            )
            for final in batch
        ]
