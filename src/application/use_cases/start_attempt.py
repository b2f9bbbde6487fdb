from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID, uuid4

from application.adaptive_progress import AdaptiveProgress
from application.deadline_changes import DeadlineChanges
from application.errors import ActiveAttemptExists, ExamNotFound
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_candidate
from application.ports import (
    Attempts,
    AttemptStarts,
    AuditTrail,
    Clock,
    ExamRepository,
    HotStateStore,
    StartFacts,
    Transaction,
)
from domain.attempt import Attempt
from domain.errors import DomainError
from domain.exam import Exam, ExamMode


@dataclass(frozen=True, slots=True, kw_only=True)
class StartAttemptCommand:
    actor: Actor
    exam_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class StartedAttempt:
    attempt: Attempt
    created: bool
    server_time: datetime


# The facts `AttemptStarts.begin_first` proves in its insert.
_FIRST_START = StartFacts(started_before=0, in_progress=False, accommodation=None)


class StartAttempt:
    """A candidate starts an attempt, or gets back the one in progress (resume).

    A new adaptive attempt's engine state is cached at once, so its first item request
    finds it instead of rebuilding it from PostgreSQL (at an exam's start, every candidate
    asks within seconds).

    At 9:00 every candidate starts within seconds, so a candidate's first attempt is one
    statement: decided on the facts most starts have (no attempt before, no
    accommodation), inserted only if PostgreSQL finds them true (`AttemptStarts.
    begin_first`). Any other start reads its facts and then inserts, outside the unit's
    transaction too. Only a candidate with an attempt in progress (a resume, or one whose
    time ran out) takes the transactional path that locks and settles it.
    """

    def __init__(
        self,
        exams: ExamRepository,
        attempts: Attempts,
        audit_trail: AuditTrail,
        starts: AttemptStarts,
        hot_state: HotStateStore,
        finaliser: AttemptFinaliser,
        deadline_changes: DeadlineChanges,
        progress: AdaptiveProgress,
        transaction: Transaction,
        clock: Clock,
    ) -> None:
        self._exams = exams
        self._attempts = attempts
        self._audit_trail = audit_trail
        self._starts = starts
        self._hot_state = hot_state
        self._finaliser = finaliser
        self._deadline_changes = deadline_changes
        self._progress = progress
        self._transaction = transaction
        self._clock = clock

    async def __call__(self, command: StartAttemptCommand) -> StartedAttempt:
        ensure_candidate(command.actor)
        exam = await self._exams.get(command.exam_id)
        if exam is None:
            raise ExamNotFound()
        try:
            return await self._resume_or_start(exam, command.actor.user_id)
        except ActiveAttemptExists:
            # A concurrent start for the same candidate won the race: resume that one.
            await self._transaction.rollback()
            return await self._resume_or_start(exam, command.actor.user_id)

    async def _resume_or_start(self, exam: Exam, candidate_id: str) -> StartedAttempt:
        now = self._clock.now()
        first = self._first_attempt(exam, candidate_id, now)
        if first is not None and await self._starts.begin_first(first):
            return await self._started(first, exam, now)
        facts = await self._starts.facts(exam.id, candidate_id)
        if facts.in_progress:
            current = await self._attempts.find_in_progress(exam.id, candidate_id)
            if current is not None and (await self._finaliser.settle(current, now)).is_final:
                current = None
            if current is not None:
                current.record_resumed(now)
                await self._audit_trail.append_events(current)
                await self._transaction.commit()
                await self._hot_state.put(current)
                await self._deadline_changes.schedule(current)  # heals an index that lost it
                return StartedAttempt(attempt=current, created=False, server_time=now)
            await self._transaction.end_reads()
        attempt = self._new_attempt(exam, candidate_id, now, facts)
        await self._starts.begin(attempt, number=facts.started_before + 1)
        return await self._started(attempt, exam, now)

    async def _started(self, attempt: Attempt, exam: Exam, now: datetime) -> StartedAttempt:
        """A new attempt is durable: now its hot state, deadline entry and engine state."""
        await self._hot_state.put(attempt)
        await self._deadline_changes.schedule(attempt)
        if exam.mode is ExamMode.ADAPTIVE:
            await self._progress.started(attempt, exam)
        return StartedAttempt(attempt=attempt, created=True, server_time=now)

    @classmethod
    def _first_attempt(cls, exam: Exam, candidate_id: str, now: datetime) -> Attempt | None:
        """The attempt as decided if this is the candidate's first and unaccommodated
        start; None if the exam refuses even that (an accommodation the facts will show
        may still allow it, and if not, the facts' path gives the refusal)."""
        try:
            return cls._new_attempt(exam, candidate_id, now, _FIRST_START)
        except DomainError:
            return None

    @staticmethod
    def _new_attempt(exam: Exam, candidate_id: str, now: datetime, facts: StartFacts) -> Attempt:
        accommodation = facts.accommodation
        if accommodation is not None:  # the candidate's own window and attempts
            exam = accommodation.exam_for_candidate(exam)
        exam.ensure_open(now)  # a closed exam is 403 whatever attempts remain
        exam.ensure_attempt_allowed(facts.started_before)
        return Attempt.start(
            attempt_id=uuid4(),
            exam=exam,
            candidate_id=candidate_id,
            now=now,
            time_multiplier=accommodation.time_multiplier if accommodation else 1.0,
            extra_time=accommodation.extra_time if accommodation else timedelta(0),
        )
