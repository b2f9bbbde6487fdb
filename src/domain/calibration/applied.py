"""A calibration applied: a new adaptive exam with the fitted item parameters.

Exams never change, so the parameters go into a new exam; the source exam and every
attempt scored on it stay as they were.
"""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from domain.calibration.job import CalibrationOutcome
from domain.errors import InvalidExamDefinition
from domain.exam import AdaptiveRules, Exam, ExamMode, IrtParameters


def calibrated_exam(
    source: Exam,
    outcome: CalibrationOutcome,
    *,
    exam_id: UUID,
    title: str | None = None,
    adaptive: AdaptiveRules | None = None,
) -> Exam:
    """`source`'s fitted questions with their new `irt`, as an adaptive exam run by
    `adaptive` (else the source's own adaptive rules). Questions the fit skipped, and any
    an adaptive exam cannot give (not right-or-wrong), are left out."""
    rules = adaptive or source.adaptive
    if rules is None:
        raise InvalidExamDefinition(
            "the source exam is fixed-form: give `adaptive` settings for the calibrated exam"
        )
    fitted = {item["id"]: item for item in outcome.items}
    questions = tuple(
        replace(question, irt=_irt(fitted[question.id]))
        for question in source.questions
        if question.id in fitted and question.answer_key.dichotomous
    )
    if not questions:
        raise InvalidExamDefinition("the calibration fitted none of the exam's questions")
    return Exam(
        id=exam_id,
        title=title or f"{source.title} (calibrated)",
        mode=ExamMode.ADAPTIVE,
        duration=source.duration,
        questions=questions,
        grace=source.grace,
        opens_at=source.opens_at,
        closes_at=source.closes_at,
        max_attempts=source.max_attempts,
        adaptive=rules,
        review=source.review,
        shuffle_options=source.shuffle_options,
    )


def _irt(item: dict[str, object]) -> IrtParameters:
    return IrtParameters(a=float(item["a"]), b=float(item["b"]), c=float(item["c"]))  # type: ignore[arg-type]
