"""Attempt and event rows ↔ domain objects, field by field; durations are stored in seconds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlalchemy import ColumnElement

from domain.attempt import Attempt, LiveAttempt
from domain.exam import ExamMode
from domain.responses import Response
from domain.result import AttemptResult, AttemptStatus
from domain.scores import AwardedScore
from domain.timer import Timer
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.section_documents import progress_document, to_progress


def new_attempt_row(
    attempt: Attempt, *, number: int, at: datetime | ColumnElement[datetime]
) -> dict[str, Any]:
    identity = {
        "id": attempt.id,
        "exam_id": attempt.exam_id,
        "candidate_id": attempt.candidate_id,
        "number": number,
        "mode": attempt.mode.value,
        "started_at": attempt.timer.started_at,
        "duration_seconds": attempt.timer.duration.total_seconds(),
    }
    return identity | changed_columns(attempt, at=at)


def changed_columns(attempt: Attempt, *, at: datetime | ColumnElement[datetime]) -> dict[str, Any]:
    """Every column an accepted change may touch; `at` becomes updated_at."""
    timer = attempt.timer
    return {
        "status": attempt.status.value,
        "time_multiplier": timer.time_multiplier,
        "extra_seconds": timer.extra_time.total_seconds(),
        "extension_seconds": timer.extensions.total_seconds(),
        "paused_seconds": timer.paused_for.total_seconds(),
        "paused_at": timer.paused_at,
        "closes_at": timer.closes_at,
        "grace_seconds": timer.grace.total_seconds(),
        "deadline": timer.deadline,
        "version": attempt.version,
        "answers": dict(attempt.answers),
        # Written back with the events (`_append`), as the response write does both.
        "response_count": len(attempt.responses),
        "result": None if attempt.result is None else result_json(attempt.result),
        "updated_at": at,
        "awarded": {qid: _awarded_json(score) for qid, score in attempt.awarded.items()},
        **section_columns(attempt),
    }


def section_columns(attempt: Attempt) -> dict[str, Any]:
    """The attempt's sections, and what SQL tests of them (models.AttemptRow says what)."""
    progress = attempt.sections
    if progress is None:
        return {"sections": None, "section_deadline": None, "open_questions": None}
    running = not attempt.is_final
    return {
        "sections": progress_document(progress),
        "section_deadline": progress.stored_deadline(attempt.timer) if running else None,
        "open_questions": list(progress.open_questions()) if running else [],
    }


def to_attempt(row: AttemptRow, responses: Sequence[Response]) -> Attempt:
    """`responses`: the attempt's, read from its `response_recorded` events in order."""
    if len(responses) != row.response_count:
        raise RuntimeError(
            f"attempt {row.id} counts {row.response_count} responses and has"
            f" {len(responses)} response events"
        )
    return Attempt(
        id=row.id,
        exam_id=row.exam_id,
        candidate_id=row.candidate_id,
        mode=ExamMode(row.mode),
        timer=to_timer(row),
        status=AttemptStatus(row.status),
        version=row.version,
        answers=dict(row.answers),
        responses=tuple(responses),
        flags=tuple(row.flags),
        result=None if row.result is None else to_result(row.result),
        awarded={qid: _to_awarded(data) for qid, data in (row.awarded or {}).items()},
        sections=to_progress(row.sections),
    )


def to_live_attempt(row: AttemptRow) -> LiveAttempt:
    """The row's standing without its answers or responses (listings never load them)."""
    return LiveAttempt(
        id=row.id,
        exam_id=row.exam_id,
        candidate_id=row.candidate_id,
        mode=ExamMode(row.mode),
        timer=to_timer(row),
        status=AttemptStatus(row.status),
        version=row.version,
        result=None if row.result is None else to_result(row.result),
    )


def to_timer(row: AttemptRow) -> Timer:
    return Timer(
        started_at=row.started_at,
        duration=timedelta(seconds=row.duration_seconds),
        time_multiplier=row.time_multiplier,
        extra_time=timedelta(seconds=row.extra_seconds),
        extensions=timedelta(seconds=row.extension_seconds),
        paused_for=timedelta(seconds=row.paused_seconds),
        paused_at=row.paused_at,
        closes_at=row.closes_at,
        grace=timedelta(seconds=row.grace_seconds),
    )


def result_json(result: AttemptResult) -> dict[str, Any]:
    """The result as stored in `attempts.result`, and as webhooks carry it."""
    return {
        "status": result.status.value,
        "score": result.score,
        "max_score": result.max_score,
        "answered": result.answered,
        "correct": result.correct,
        "finished_at": result.finished_at.isoformat(),
        "time_taken_seconds": result.time_taken_seconds,
        "theta": result.theta,
        "se": result.se,
        "pending_points": result.pending_points,
        "stop_reason": result.stop_reason,
        "classification": result.classification,
    }


def to_result(data: dict[str, Any]) -> AttemptResult:
    return AttemptResult(
        status=AttemptStatus(data["status"]),
        score=data["score"],
        max_score=data["max_score"],
        answered=data["answered"],
        correct=data["correct"],
        finished_at=datetime.fromisoformat(data["finished_at"]),
        time_taken_seconds=data["time_taken_seconds"],
        theta=data.get("theta"),
        se=data.get("se"),
        pending_points=data.get("pending_points", 0.0),
        stop_reason=data.get("stop_reason"),
        classification=data.get("classification"),
    )


def _awarded_json(score: AwardedScore) -> dict[str, Any]:
    # Points as the exact fraction ("3/2"): a scorer's 1/3 of a point stays a third.
    return {"points": str(score.points), "scorer": score.scorer, "comment": score.comment}


def _to_awarded(data: dict[str, Any]) -> AwardedScore:
    return AwardedScore(
        points=Fraction(data["points"]), scorer=data["scorer"], comment=data.get("comment")
    )


def to_response(event_data: dict[str, Any]) -> Response:
    """The response a `response_recorded` event records."""
    return Response(
        item_id=event_data["item_id"], option=event_data["option"], correct=event_data["correct"]
    )
