"""msgspec shapes of the HTTP contract (API.md): field names are the contract."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from msgspec import UNSET, Meta, Struct, UnsetType

from domain.attempt import Attempt
from domain.events import AttemptEvent
from domain.exam import Exam, Question
from domain.result import AttemptResult, AttemptStatus

AwareDatetime = Annotated[datetime, Meta(tz=True)]
# Bounds that keep every duration a real timedelta and every deadline on the calendar.
WEEK_SECONDS = 7 * 24 * 3600
DAY_SECONDS = 24 * 3600
NonEmpty = Annotated[str, Meta(min_length=1)]
# Versions are stored as PostgreSQL integers; a larger one could never match anyway.
MAX_VERSION = 2_147_483_647
Version = Annotated[int, Meta(ge=0, le=MAX_VERSION)]


# --- requests -----------------------------------------------------------------------------


class OptionIn(Struct, frozen=True):
    key: NonEmpty
    text: str


class IrtIn(Struct, frozen=True):
    # Far wider than any calibrated item bank, and narrow enough for float arithmetic.
    a: Annotated[float, Meta(gt=0, le=20)]
    b: Annotated[float, Meta(ge=-20, le=20)]
    c: Annotated[float, Meta(ge=0, lt=1)] = 0.0


class QuestionIn(Struct, frozen=True):
    stem: str
    options: list[OptionIn]
    correct_key: str
    id: NonEmpty | None = None
    points: Annotated[float, Meta(gt=0, le=1_000_000)] = 1.0
    content_area: str | None = None
    irt: IrtIn | None = None


class AdaptiveIn(Struct, frozen=True):
    max_items: Annotated[int, Meta(ge=1, le=10_000)]
    min_items: Annotated[int, Meta(ge=1, le=10_000)] = 1
    se_target: Annotated[float, Meta(gt=0, le=10)] = 0.3
    exposure_k: Annotated[int, Meta(ge=1, le=1_000)] = 1


class ExamIn(Struct, frozen=True):
    title: NonEmpty
    duration_seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)]
    questions: Annotated[list[QuestionIn], Meta(min_length=1)]
    mode: Literal["fixed", "adaptive"] = "fixed"
    grace_seconds: Annotated[float, Meta(ge=0, le=DAY_SECONDS)] = 0.0
    opens_at: AwareDatetime | None = None
    closes_at: AwareDatetime | None = None
    max_attempts: Annotated[int, Meta(ge=1, le=1_000)] = 1
    adaptive: AdaptiveIn | None = None


class AnswerIn(Struct, frozen=True):
    option: NonEmpty
    expected_version: Version | None = None


class ClearAnswerIn(Struct, frozen=True):
    expected_version: Version | None = None


# --- responses ----------------------------------------------------------------------------


class OptionOut(Struct, frozen=True):
    key: str
    text: str


class IrtOut(Struct, frozen=True):
    a: float
    b: float
    c: float


class QuestionOut(Struct, frozen=True, omit_defaults=True):
    id: str
    stem: str
    options: list[OptionOut]
    points: float = 1.0
    content_area: str | None = None
    correct_key: str | UnsetType = UNSET
    irt: IrtOut | UnsetType = UNSET


class ExamOut(Struct, frozen=True):
    id: UUID
    title: str
    mode: str
    duration_seconds: float
    grace_seconds: float
    opens_at: datetime | None
    closes_at: datetime | None
    max_attempts: int
    question_count: int
    questions: list[QuestionOut]
    adaptive: AdaptiveIn | None = None


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


class AttemptOut(Struct, frozen=True, omit_defaults=True):
    id: UUID
    exam_id: UUID
    candidate_id: str
    mode: str
    status: str
    started_at: datetime
    deadline: datetime
    remaining_seconds: float
    paused: bool
    version: int
    answers: dict[str, str]
    server_time: datetime
    result: ResultOut | UnsetType = UNSET


class RemainingOut(Struct, frozen=True):
    status: str
    remaining_seconds: float
    deadline: datetime
    server_time: datetime
    paused: bool


class SavedAnswerOut(Struct, frozen=True):
    version: int
    saved_at: datetime
    remaining_seconds: float
    late: bool


class EventOut(Struct, frozen=True):
    version: int
    kind: str
    at: datetime
    data: dict[str, Any]


class QuestionForCandidate(Struct, frozen=True):
    id: str
    stem: str
    options: list[OptionOut]


# --- mapping from the domain --------------------------------------------------------------


def question_out(question: Question, *, with_keys: bool) -> QuestionOut:
    irt = question.irt
    return QuestionOut(
        id=question.id,
        stem=question.stem,
        options=[OptionOut(key=o.key, text=o.text) for o in question.options],
        points=question.points,
        content_area=question.content_area,
        correct_key=question.correct_key if with_keys else UNSET,
        irt=IrtOut(a=irt.a, b=irt.b, c=irt.c) if with_keys and irt is not None else UNSET,
    )


def exam_out(exam: Exam, *, with_keys: bool) -> ExamOut:
    adaptive = exam.adaptive
    return ExamOut(
        id=exam.id,
        title=exam.title,
        mode=exam.mode.value,
        duration_seconds=exam.duration.total_seconds(),
        grace_seconds=exam.grace.total_seconds(),
        opens_at=exam.opens_at,
        closes_at=exam.closes_at,
        max_attempts=exam.max_attempts,
        question_count=len(exam.questions),
        questions=[question_out(q, with_keys=with_keys) for q in exam.questions],
        adaptive=None
        if adaptive is None
        else AdaptiveIn(
            max_items=adaptive.max_items,
            min_items=adaptive.min_items,
            se_target=adaptive.se_target,
            exposure_k=adaptive.exposure_k,
        ),
    )


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
        expired_at=UNSET if submitted else result.finished_at,
        theta=UNSET if result.theta is None else result.theta,
        se=UNSET if result.se is None else result.se,
    )


def attempt_out(attempt: Attempt, server_time: datetime) -> AttemptOut:
    timer = attempt.timer
    return AttemptOut(
        id=attempt.id,
        exam_id=attempt.exam_id,
        candidate_id=attempt.candidate_id,
        mode=attempt.mode.value,
        status=attempt.status.value,
        started_at=timer.started_at,
        deadline=timer.deadline_at(server_time),
        remaining_seconds=0.0 if attempt.is_final else timer.remaining(server_time).total_seconds(),
        paused=timer.is_paused,
        version=attempt.version,
        answers=dict(attempt.answers),
        server_time=server_time,
        result=UNSET if attempt.result is None else result_out(attempt.result),
    )


def event_out(event: AttemptEvent) -> EventOut:
    return EventOut(
        version=event.version, kind=event.kind.value, at=event.at, data=dict(event.data)
    )


def candidate_question(question: Question) -> QuestionForCandidate:
    return QuestionForCandidate(
        id=question.id,
        stem=question.stem,
        options=[OptionOut(key=o.key, text=o.text) for o in question.options],
    )


# --- time control and operations ----------------------------------------------------------


class ExtensionIn(Struct, frozen=True):
    seconds: Annotated[float, Meta(gt=0, le=WEEK_SECONDS)]
    reason: NonEmpty


class PauseIn(Struct, frozen=True):
    reason: NonEmpty


class AccommodationIn(Struct, frozen=True):
    reason: NonEmpty
    time_multiplier: Annotated[float, Meta(ge=1, le=10)] = 1.0
    extra_seconds: Annotated[float, Meta(ge=0, le=WEEK_SECONDS)] = 0.0


class AccommodationOut(Struct, frozen=True):
    candidate_id: str
    time_multiplier: float
    extra_seconds: float
    reason: str


class SweepIn(Struct, frozen=True):
    dry_run: bool = False


class SweepOut(Struct, frozen=True):
    expired: int
    attempt_ids: list[UUID]
    dry_run: bool
    max_lag_seconds: float


class StatsOut(Struct, frozen=True):
    active_attempts: int
    redis: dict[str, Any]
    sweeper: dict[str, Any]


# --- adaptive attempts --------------------------------------------------------------------


class ResponseIn(Struct, frozen=True):
    item_id: NonEmpty
    option: NonEmpty
    expected_version: Version | None = None


class NextItemOut(Struct, frozen=True, omit_defaults=True):
    """`{done: false, item, position}` or `{done: true, result}`."""

    done: bool
    item: QuestionForCandidate | UnsetType = UNSET
    position: int | UnsetType = UNSET
    result: ResultOut | UnsetType = UNSET


class RecordedResponseOut(Struct, frozen=True, omit_defaults=True):
    """theta and se only for admins: a candidate sees them in the result, at the end."""

    items_completed: int
    done: bool
    version: int
    theta: float | UnsetType = UNSET
    se: float | UnsetType = UNSET
    result: ResultOut | UnsetType = UNSET
