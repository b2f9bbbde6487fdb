from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_can_view
from application.ports import AuditTrail, Clock
from application.views import AttemptView
from domain.errors import WrongExamMode
from domain.events import AttemptEvent
from domain.exam import ExamMode, Question
from domain.result import AttemptStatus
from domain.shuffle import attempt_form

__all__ = [
    "AttemptQuery",
    "AttemptView",
    "GetAttempt",
    "GetRemainingTime",
    "ListAttemptEvents",
    "ListQuestions",
    "RemainingTime",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptQuery:
    actor: Actor
    attempt_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class RemainingTime:
    status: AttemptStatus
    remaining: timedelta
    deadline: datetime
    paused: bool
    server_time: datetime


class _AttemptReader:
    def __init__(
        self,
        loader: AttemptLoader,
        finaliser: AttemptFinaliser,
        clock: Clock,
    ) -> None:
        self._loader = loader
        self._finaliser = finaliser
        self._clock = clock


class GetAttempt(_AttemptReader):
    """The owner or an admin reads an attempt with its answers."""

    async def __call__(self, query: AttemptQuery) -> AttemptView:
        attempt = await self._loader.durable(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        now = self._clock.now()
        return AttemptView(attempt=await self._finaliser.settle(attempt, now), server_time=now)


class GetRemainingTime(_AttemptReader):
    """How long the attempt has left, served from hot state when possible."""

    async def __call__(self, query: AttemptQuery) -> RemainingTime:
        attempt = await self._loader.live(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        now = self._clock.now()
        attempt = await self._finaliser.settle(attempt, now)
        timer = attempt.timer
        return RemainingTime(
            status=attempt.status,
            remaining=timer.remaining(now) if not attempt.is_final else timedelta(0),
            deadline=timer.deadline_at(now),
            paused=timer.is_paused,
            server_time=now,
        )


class ListQuestions:
    """The questions of a fixed-form attempt, for its owner or an admin."""

    def __init__(self, loader: AttemptLoader) -> None:
        self._loader = loader

    async def __call__(self, query: AttemptQuery) -> tuple[Question, ...]:
        attempt = await self._loader.live(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        if attempt.mode is not ExamMode.FIXED:
            raise WrongExamMode("an adaptive attempt serves one item at a time: use next-item")
        # In this attempt's option order when the exam shuffles (the same on every read).
        return attempt_form(await self._loader.exam_of(attempt), attempt.id)


class ListAttemptEvents:
    """The attempt's audit trail, oldest first."""

    def __init__(self, loader: AttemptLoader, audit_trail: AuditTrail) -> None:
        self._loader = loader
        self._audit_trail = audit_trail

    async def __call__(self, query: AttemptQuery) -> list[AttemptEvent]:
        attempt = await self._loader.live(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        events = await self._audit_trail.events(attempt.id)
        if query.actor.is_admin:
            return events
        # Whether each adaptive response was right would give away the keys of items
        # already seen (with two options, all of them): only admins see it.
        return [_without_marks(event) for event in events]


def _without_marks(event: AttemptEvent) -> AttemptEvent:
    if "correct" not in event.data:
        return event
    return replace(event, data={k: v for k, v in event.data.items() if k != "correct"})
