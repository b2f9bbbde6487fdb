"""An attempt, its answers, its remaining time and its audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import UNSET, Struct, UnsetType

from domain.attempt import Attempt
from domain.events import AttemptEvent
from presentation.api.schemas.fields import Identifier, Version
from presentation.api.schemas.results import ResultOut, result_out


class AnswerIn(Struct, frozen=True):
    option: Identifier
    expected_version: Version | None = None


class ClearAnswerIn(Struct, frozen=True):
    expected_version: Version | None = None


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
    flags: list[str]
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
        flags=list(attempt.flags),
        server_time=server_time,
        result=UNSET if attempt.result is None else result_out(attempt.result),
    )


def event_out(event: AttemptEvent) -> EventOut:
    return EventOut(
        version=event.version, kind=event.kind.value, at=event.at, data=dict(event.data)
    )
