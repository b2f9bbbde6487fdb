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
from domain.attempt import Attempt, LiveAttempt
from domain.errors import WrongExamMode
from domain.events import AttemptEvent
from domain.exam import Exam, ExamMode, Question
from domain.result import AttemptStatus
from domain.sections import SectionStatus
from domain.shuffle import as_attempt_sees, attempt_form, same_options_for_every_attempt

__all__ = [
    "AttemptQuery",
    "AttemptQuestion",
    "AttemptView",
    "GetAttempt",
    "GetRemainingTime",
    "ListAttemptEvents",
    "ListQuestions",
    "RemainingTime",
    "SectionTime",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptQuery:
    actor: Actor
    attempt_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionTime:
    """The running section's clock as of `server_time`."""

    id: str
    deadline: datetime
    remaining: timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class RemainingTime:
    status: AttemptStatus
    remaining: timedelta
    deadline: datetime
    paused: bool
    server_time: datetime
    section: SectionTime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AttemptQuestion:
    """A question as the attempt lists it: in which section, and whether it is locked
    (its section finished, or left behind in a sequential section)."""

    question: Question
    section_id: str | None = None
    locked: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionListing:
    """An attempt's questions as listed; `shared_by` is the exam when every attempt of it
    lists exactly these (no sections, no shuffled options), so the list can be reused."""

    questions: tuple[AttemptQuestion, ...]
    shared_by: Exam | None


def section_time(attempt: LiveAttempt, now: datetime) -> SectionTime | None:
    """The running section's figures, for an attempt read with its sections."""
    progress = attempt.sections if isinstance(attempt, Attempt) else None
    current = None if progress is None or attempt.is_final else progress.current
    if current is None:
        return None
    return SectionTime(
        id=current.id,
        deadline=current.deadline_at(attempt.timer, now),
        remaining=current.remaining(attempt.timer, now),
    )


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
        if (await self._loader.exam_of(attempt)).sections:
            # Hot state holds no sections: their clocks are read from PostgreSQL.
            attempt = await self._loader.durable(attempt.id)
        now = self._clock.now()
        attempt = await self._finaliser.settle(attempt, now)
        timer = attempt.timer
        return RemainingTime(
            status=attempt.status,
            remaining=timer.remaining(now) if not attempt.is_final else timedelta(0),
            deadline=timer.deadline_at(now),
            paused=timer.is_paused,
            server_time=now,
            section=section_time(attempt, now),
        )


class ListQuestions:
    """The questions of a fixed-form attempt, for its owner or an admin."""

    def __init__(self, loader: AttemptLoader) -> None:
        self._loader = loader

    async def __call__(self, query: AttemptQuery) -> tuple[Question, ...]:
        return tuple(listed.question for listed in (await self.listing(query)).questions)

    async def listing(self, query: AttemptQuery) -> QuestionListing:
        """With sections: the questions of the sections reached, in the attempt's drawn
        order, a sequential section's only up to its current question. And whether every
        attempt of the exam lists the same."""
        attempt = await self._loader.live(query.attempt_id)
        ensure_can_view(attempt, query.actor)
        if attempt.mode is not ExamMode.FIXED:
            raise WrongExamMode("an adaptive attempt serves one item at a time: use next-item")
        exam = await self._loader.exam_of(attempt)
        if not exam.sections:
            # In this attempt's option order when the exam shuffles (the same on every read).
            form = tuple(AttemptQuestion(question=q) for q in attempt_form(exam, attempt.id))
            shared = same_options_for_every_attempt(exam)
            return QuestionListing(questions=form, shared_by=exam if shared else None)
        durable = await self._loader.durable(attempt.id)
        assert durable.sections is not None  # started from an exam with sections
        open_now = set(durable.sections.open_questions()) if not durable.is_final else set()
        listed = []
        for run in durable.sections.runs:
            if run.status is SectionStatus.PENDING:
                continue
            for qid in run.visible() if run.status is SectionStatus.ACTIVE else run.question_ids:
                question = as_attempt_sees(exam, attempt.id, exam.question(qid))
                listed.append(
                    AttemptQuestion(
                        question=question, section_id=run.id, locked=qid not in open_now
                    )
                )
        return QuestionListing(questions=tuple(listed), shared_by=None)


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
