"""The result of a finished attempt, shared by submit, attempts, streams and problems."""

from __future__ import annotations

from datetime import datetime

from msgspec import UNSET, Struct, UnsetType

from domain.result import AttemptResult, AttemptStatus


class ResultOut(Struct, frozen=True, omit_defaults=True):
    status: str
    score: float
    max_score: float
    answered: int
    correct: int
    time_taken_seconds: float
    submitted_at: datetime | UnsetType = UNSET
    expired_at: datetime | UnsetType = UNSET
    theta: float | UnsetType = UNSET
    se: float | UnsetType = UNSET
    # Essay and external points no scorer has given yet; `scored` false until none are.
    # (UNSET only as the declared default: every result sets both.)
    pending_points: float | UnsetType = UNSET
    scored: bool | UnsetType = UNSET
    terminated_at: datetime | UnsetType = UNSET
    stop_reason: str | UnsetType = UNSET
    classification: str | UnsetType = UNSET


def result_out(result: AttemptResult) -> ResultOut:
    submitted = result.status is AttemptStatus.SUBMITTED
    return ResultOut(
        status=result.status.value,
        score=result.score,
        max_score=result.max_score,
        answered=result.answered,
        correct=result.correct,
        time_taken_seconds=result.time_taken_seconds,
        submitted_at=result.finished_at if submitted else UNSET,
        expired_at=result.finished_at if result.status is AttemptStatus.EXPIRED else UNSET,
        theta=UNSET if result.theta is None else result.theta,
        se=UNSET if result.se is None else result.se,
        pending_points=result.pending_points,
        scored=result.scored,
        terminated_at=(result.finished_at if result.status is AttemptStatus.TERMINATED else UNSET),
        stop_reason=UNSET if result.stop_reason is None else result.stop_reason,
        classification=UNSET if result.classification is None else result.classification,
    )
