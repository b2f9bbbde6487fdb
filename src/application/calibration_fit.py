"""The fit a calibration job runs: an exam's stored responses through the EM."""

from __future__ import annotations

from collections.abc import Sequence

from domain.calibration import CalibrationSettings, ItemModel, calibrate
from domain.calibration.calibrator import Progress
from domain.calibration.job import CalibrationOutcome
from domain.calibration.stored_responses import ResponseSheet, stored_responses
from domain.exam import Exam


def fit_exam_responses(
    exam: Exam,
    sheets: Sequence[ResponseSheet],
    model: ItemModel,
    progress: Progress | None = None,
    *,
    max_iterations: int = 500,
) -> CalibrationOutcome:
    """CPU-bound (seconds for thousands of examinees): callers on an event loop run it in a
    worker thread. Raises CalibrationError when the responses cannot be fitted."""
    responses = stored_responses(exam, sheets)
    settings = CalibrationSettings(model=model, max_iterations=max_iterations)
    fit = calibrate(responses.matrix, settings, progress)
    return CalibrationOutcome.of(
        fit, examinees=responses.matrix.examinees, skipped=responses.skipped
    )
