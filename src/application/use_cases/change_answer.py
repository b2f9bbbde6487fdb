from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.conditional_write import ConditionalWrite
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_owner
from application.policy import TimingPolicy
from application.ports import AnswerWrites, AppliedAnswer, Clock, StaleVersion, Transaction
from domain.attempt import AnswerChange, LiveAttempt
from domain.errors import VersionConflict, WrongExamMode
from domain.exam import ExamMode, Question
from domain.questions import JsonValue


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerCommand:
    """Save `response` for a question, or clear the answer when `response` is None.

    The response is as the client sent it; the question's type accepts or refuses it.
    """

    actor: Actor
    attempt_id: UUID
    question_id: str
    response: JsonValue | None
    expected_version: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedAnswer:
    version: int
    saved_at: datetime
    remaining: timedelta
    late: bool


class ChangeAnswer:
    """The candidate saves, changes or clears one answer (autosave).

    The attempt's live copy (hot state) decides what the change is; one conditional write
    in PostgreSQL is the final arbiter of deadline and version and marks it late. When
    either refuses, PostgreSQL's copy decides again, so the client gets the precise error.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        answers: AnswerWrites,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._loader = loader
        self._answers = answers
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def __call__(self, command: AnswerCommand) -> SavedAnswer:
        now = self._clock.now()
        attempt = await self._loader.live(command.attempt_id)
        ensure_owner(attempt, command.actor)
        question = await self._question(attempt, command.question_id)
        grace = self._policy.network_grace

        def decide(judged: LiveAttempt) -> AnswerChange:
            return judged.answer_change(
                question,
                command.response,
                now=now,
                network_grace=grace,
                expected_version=command.expected_version,
            )

        async def write(_: LiveAttempt, change: AnswerChange) -> AppliedAnswer | None:
            applied = await self._answers.apply_answer(change, answers_close_after=now - grace)
            if applied is not None:
                await self._transaction.end_reads()
            if isinstance(applied, StaleVersion):
                # PostgreSQL says the version is the only obstacle: no need to read it all.
                raise VersionConflict(applied.current_version)
            return applied

        async def reload(judged: LiveAttempt) -> LiveAttempt:
            return await self._loader.durable(judged.id)

        async def explain(judged: LiveAttempt) -> None:
            await self._finaliser.refuse_if_expired(judged, now)

        applied = await ConditionalWrite(
            decide=decide,
            write=write,
            reload=reload,
            explain=explain,
            version_of=lambda judged: judged.version,
        )(attempt)
        return SavedAnswer(
            version=applied.written.version,
            saved_at=now,
            remaining=max(timedelta(0), applied.written.deadline - now),
            late=applied.written.late,
        )

    async def _question(self, attempt: LiveAttempt, question_id: str) -> Question:
        exam = await self._loader.exam_of(attempt)
        if exam.mode is not ExamMode.FIXED:
            raise WrongExamMode("an adaptive attempt takes responses, not answers")
        return exam.question(question_id)
