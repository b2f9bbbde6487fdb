"""What an attempt's full view and its listing share: its standing, without answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from msgspec import UNSET, Struct

from domain.attempt import LiveAttempt
from presentation.api.schemas.results import result_out


class AttemptStandingOut(Struct, frozen=True, omit_defaults=True):
    """The fields every attempt shape starts with (a base, never sent on its own)."""

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


def standing_fields(attempt: LiveAttempt, server_time: datetime) -> dict[str, Any]:
    """The base fields and `result`, as of `server_time` (remaining time 0 once final)."""
    timer = attempt.timer
    return {
        "id": attempt.id,
        "exam_id": attempt.exam_id,
        "candidate_id": attempt.candidate_id,
        "mode": attempt.mode.value,
        "status": attempt.status.value,
        "started_at": timer.started_at,
        "deadline": timer.deadline_at(server_time),
        "remaining_seconds": (
            0.0 if attempt.is_final else timer.remaining(server_time).total_seconds()
        ),
        "paused": timer.is_paused,
        "version": attempt.version,
        "result": UNSET if attempt.result is None else result_out(attempt.result),
    }
