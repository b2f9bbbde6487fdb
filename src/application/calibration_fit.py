"""The fit a calibration job runs: an exam's stored responses through the EM."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from application.errors import ExamNotFound
from application.ports import ExamRepository
from application.ports.calibrations import CalibrationQueue
from application.ports.exam_regrades import ExamRegrades
from domain.calibration import CalibrationSettings, ItemModel, calibrate
from domain.calibration.calibrator import Progress
from domain.calibration.job import CalibrationOutcome
from domain.calibration.stored_responses import ResponseSheet, stored_responses
from domain.exam import Exam
from domain.regrade import regraded


def fit_exam_responses(
    exam: Exam,
    sheets: Sequence[ResponseSheet],
    model: ItemModel,
    progress: Progress | None = None,
    *,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
) -> CalibrationOutcome:
    """CPU-bound (seconds for thousands of examinees): callers on an event loop run it in a
    worker thread. Raises CalibrationError when the responses cannot be fitted."""
    responses = stored_responses(exam, sheets)
    settings = CalibrationSettings(model=model, max_iterations=max_iterations, tolerance=tolerance)
    fit = calibrate(responses.matrix, settings, progress)
    return CalibrationOutcome.of(
        fit, examinees=responses.matrix.examinees, skipped=responses.skipped
    )


class StoredResponsesOf:
    """An exam as its answers are scored (after regrades) and its final attempts' sheets:
    what a fit of its stored responses reads."""

    def __init__(
        self, exams: ExamRepository, regrades: ExamRegrades, queue: CalibrationQueue
    ) -> None:
        self._exams = exams
        self._regrades = regrades
        self._queue = queue

    async def exam(self, exam_id: UUID) -> Exam:
        exam = await self._exams.get(exam_id)
        if exam is None:
            raise ExamNotFound()
        # Fixed-form answers are scored with the keys as regraded.
        return regraded(exam, await self._regrades.of_exam(exam.id))

    async def sheets(self, exam_id: UUID) -> list[ResponseSheet]:
        return await self._queue.response_sheets(exam_id)
