"""Attempts as listed: an attempt without its answers, and a page of them."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from msgspec import UNSET, Struct, UnsetType

from application.use_cases.list_attempts import AttemptPage
from domain.attempt import LiveAttempt
from presentation.api.attempt_cursor import encode_cursor
from presentation.api.schemas.results import ResultOut, result_out


class AttemptSummaryOut(Struct, frozen=True, omit_defaults=True):
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
    result: ResultOut | UnsetType = UNSET


class AttemptPageOut(Struct, frozen=True):
    items: list[AttemptSummaryOut]
    next_cursor: str | None
    server_time: datetime


def attempt_summary_out(attempt: LiveAttempt, server_time: datetime) -> AttemptSummaryOut:
    timer = attempt.timer
    return AttemptSummaryOut(
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
        result=UNSET if attempt.result is None else result_out(attempt.result),
    )


def attempt_page_out(page: AttemptPage) -> AttemptPageOut:
    following = page.next_position
    return AttemptPageOut(
        items=[attempt_summary_out(attempt, page.server_time) for attempt in page.attempts],
        next_cursor=None if following is None else encode_cursor(following),
        server_time=page.server_time,
    )
