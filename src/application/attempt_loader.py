"""Loading attempts: hot state first for speed, PostgreSQL when it matters."""

from __future__ import annotations

from uuid import UUID

from application.errors import AttemptNotFound, ExamNotFound
from application.ports import Attempts, CommittedAttempts, ExamRepository, HotStateStore
from application.ports.exam_regrades import ExamRegrades
from domain.attempt import Attempt, LiveAttempt
from domain.exam import Exam
from domain.regrade import regraded


class AttemptLoader:
    """Finds attempts and their exams for the use cases."""

    def __init__(
        self,
        attempts: Attempts,
        exams: ExamRepository,
        hot_state: HotStateStore,
        regrades: ExamRegrades,
        committed: CommittedAttempts,
    ) -> None:
        self._attempts = attempts
        self._committed = committed
        self._exams = exams
        self._hot_state = hot_state
        self._regrades = regrades

    async def live(self, attempt_id: UUID) -> LiveAttempt:
        """Status, timer and version, from hot state when it has them: never the answers,
        so what this returns cannot be scored."""
        cached = await self._hot_state.get(attempt_id)
        if cached is not None:
            return cached
        return (await self.durable(attempt_id)).live()

    async def durable(self, attempt_id: UUID) -> Attempt:
        """The attempt as PostgreSQL has it, answers included; refreshes hot state."""
        return await self._refreshed(await self._attempts.get(attempt_id))

    async def committed(self, attempt_id: UUID) -> Attempt:
        """As `durable`, read by itself outside the unit of work (no session, no lock): for
        what a client is told, never for a change made in this unit."""
        return await self._refreshed(await self._committed.get(attempt_id))

    async def _refreshed(self, attempt: Attempt | None) -> Attempt:
        if attempt is None:
            raise AttemptNotFound()
        if attempt.is_final:
            # A copy left in hot state (its forget lost in an outage) must not outlive it.
            await self._hot_state.forget(attempt.id)
        else:
            await self._hot_state.put(attempt)
        return attempt

    async def exam_of(self, attempt: LiveAttempt) -> Exam:
        exam = await self._exams.get(attempt.exam_id)
        if exam is None:
            raise ExamNotFound(f"exam {attempt.exam_id} of attempt {attempt.id} is gone")
        return exam

    async def scoring_exam_of(self, attempt: LiveAttempt) -> Exam:
        """The exam as scoring reads it: through its regrades, if an admin posted any."""
        exam = await self.exam_of(attempt)
        return regraded(exam, await self._regrades.of_exam(exam.id))
