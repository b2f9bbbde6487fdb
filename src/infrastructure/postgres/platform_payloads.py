"""The `data` of a platform event: the attempt (or exam) as it stands after the change.

Written into the outbox with the change, so a delivery made hours later tells what was
true then. No answers: the platform reads those through the results export. The result is
the stored one (`attempt_mapping.result_json`), so both keep the same fields.
"""

from __future__ import annotations

from typing import Any

from domain.attempt import Attempt
from domain.exam import Exam
from infrastructure.postgres.attempt_mapping import result_json


def attempt_data(attempt: Attempt) -> dict[str, Any]:
    timer = attempt.timer
    data: dict[str, Any] = {
        "attempt": {
            "id": str(attempt.id),
            "exam_id": str(attempt.exam_id),
            "candidate_id": attempt.candidate_id,
            "mode": attempt.mode.value,
            "status": attempt.status.value,
            "version": attempt.version,
            "started_at": timer.started_at.isoformat(),
            "deadline": timer.deadline.isoformat(),
            "paused": timer.paused_at is not None,
        }
    }
    if attempt.result is not None:
        data["result"] = result_json(attempt.result)
    return data


def exam_data(exam: Exam) -> dict[str, Any]:
    return {
        "exam": {
            "id": str(exam.id),
            "title": exam.title,
            "mode": exam.mode.value,
            "duration_seconds": exam.duration.total_seconds(),
            "question_count": len(exam.questions),
            "opens_at": None if exam.opens_at is None else exam.opens_at.isoformat(),
            "closes_at": None if exam.closes_at is None else exam.closes_at.isoformat(),
            "max_attempts": exam.max_attempts,
        }
    }
