"""An admin fixes a question's key, or gives it full credit, across an exam's attempts."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Clock, ExamRepository, Transaction
from application.ports.exam_regrades import ExamRegrades, FinalAttemptsToRescore
from application.use_cases.terminate_attempt import ReasonRequired
from domain.errors import DomainError, InvalidExamDefinition
from domain.exam import ExamMode
from domain.regrade import Regrade, regraded


@dataclass(frozen=True, slots=True, kw_only=True)
class RegradeCommand:
    actor: Actor
    exam_id: UUID
    regrade: Regrade
    reason: str


class RegradeQuestion:
    """Keep the regrade beside the exam and rescore every final attempt given the question
    (drawn sections may have left it out of some), each audited (`attempt_rescored`), in
    one transaction. Attempts finalised later are scored through the same regrades
    (`AttemptLoader.scoring_exam_of`). Adaptive exams are refused: a changed key would
    change the ability estimate that chose the items.
    """

    def __init__(
        self,
        exams: ExamRepository,
        regrades: ExamRegrades,
        final: FinalAttemptsToRescore,
        transaction: Transaction,
        clock: Clock,
    ) -> None:
        self._exams = exams
        self._regrades = regrades
        self._final = final
        self._transaction = transaction
        self._clock = clock

    async def __call__(self, command: RegradeCommand) -> int:
        ensure_admin(command.actor)
        if not command.reason.strip():
            raise ReasonRequired()
        exam = await self._exams.get(command.exam_id)
        if exam is None:
            raise ExamNotFound()
        if exam.mode is ExamMode.ADAPTIVE:
            raise InvalidExamDefinition("an adaptive exam cannot be regraded")
        earlier = await self._regrades.of_exam(exam.id)
        # Validated against the exam as scored now, before anything is written.
        scoring = command.regrade.apply(regraded(exam, earlier))
        now = self._clock.now()
        await self._regrades.add(
            exam.id, command.regrade, reason=command.reason, by=command.actor.user_id, at=now
        )
        details = {
            "question_id": command.regrade.question_id,
            "reason": command.reason,
            "regraded_by": command.actor.user_id,
        }
        question_id = command.regrade.question_id
        try:
            attempts = await self._final.lock_final(exam.id)
            # An attempt whose drawn sections never gave it the question keeps its result.
            rescored = [
                attempt
                for attempt in attempts
                if attempt.rescore_for(question_id, scoring, now=now, details=details)
            ]
        except DomainError:
            await self._transaction.rollback()
            raise
        await self._final.write_results(rescored)
        await self._transaction.commit()
        return len(rescored)
