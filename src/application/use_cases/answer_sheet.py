from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from application.access import ensure_owner
from application.attempt_access import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.policy import TimingPolicy
from application.ports import AttemptRepository, Clock, StaleVersion, Transaction
from domain.attempt import AnswerChange, Attempt
from domain.errors import DomainError, VersionConflict, WrongExamMode
from domain.exam import ExamMode, Question

# Each retry means a concurrent writer changed the attempt between our read and write.
_ATTEMPTS_AT_WRITING = 3


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerCommand:
    """Save `option` for a question, or clear the answer when `option` is None."""

    actor: Actor
    attempt_id: UUID
    question_id: str
    option: str | None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedAnswer:
    version: int
    saved_at: datetime
    remaining: timedelta
    late: bool


class ChangeAnswer:
    """The candidate saves, changes or clears one answer (autosave).

    Hot state answers the common case without a read from PostgreSQL; the conditional
    write in PostgreSQL is the final arbiter of deadline and version. When hot state
    and PostgreSQL disagree, PostgreSQL's view is reloaded and the rules run again.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        attempts: AttemptRepository,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._loader = loader
        self._attempts = attempts
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def __call__(self, command: AnswerCommand) -> SavedAnswer:
        now = self._clock.now()
        attempt = await self._loader.live(command.attempt_id)
        ensure_owner(attempt, command.actor)
        question = await self._question(attempt, command.question_id)
        durable = False
        for _ in range(_ATTEMPTS_AT_WRITING):
            try:
                change = self._change(attempt, question, command, now, versioned=durable)
            except DomainError:
                if durable:
                    await self._finaliser.refuse_if_expired(attempt, now)
                    raise
                # Hot state may be behind PostgreSQL (an extension, a version): ask the source.
                attempt, durable = await self._loader.durable(command.attempt_id), True
                continue
            close_after = now - self._policy.network_grace
            applied = await self._attempts.apply_answer(change, answers_close_after=close_after)
            if applied is not None:
                # The write ran on its own, committed or not; end whatever this request read.
                await self._transaction.rollback()
                if isinstance(applied, StaleVersion):
                    # PostgreSQL says the version is the only obstacle: no need to read it all.
                    raise VersionConflict(applied.current_version)
                return SavedAnswer(
                    version=applied.version,
                    saved_at=now,
                    remaining=max(timedelta(0), applied.deadline - now),
                    late=applied.late,
                )
            attempt, durable = await self._loader.durable(command.attempt_id), True
        raise VersionConflict(attempt.version)

    async def _question(self, attempt: Attempt, question_id: str) -> Question:
        exam = await self._loader.exam_of(attempt)
        if exam.mode is not ExamMode.FIXED:
            raise WrongExamMode("an adaptive attempt takes responses, not answers")
        return exam.question(question_id)

    def _change(
        self,
        attempt: Attempt,
        question: Question,
        command: AnswerCommand,
        now: datetime,
        *,
        versioned: bool,
    ) -> AnswerChange:
        """The domain's verdict on the change. Hot state is not rewritten on every save, so
        its version says nothing about answers: only a copy read from PostgreSQL
        (`versioned`) is checked against `expected_version` here. PostgreSQL checks it on
        every write anyway."""
        grace = self._policy.network_grace
        expected = command.expected_version if versioned else None
        if command.option is None:
            change = attempt.clear_answer(
                question, now=now, network_grace=grace, expected_version=expected
            )
        else:
            change = attempt.save_answer(
                question, command.option, now=now, network_grace=grace, expected_version=expected
            )
        return replace(change, expected_version=command.expected_version)
