"""The one path by which an attempt becomes final, shared by submit and every expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import overload
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.errors import ApplicationError, AttemptNotFound
from application.policy import TimingPolicy
from application.ports import (
    AdaptiveScoring,
    Attempts,
    AttemptUpdate,
    DeadlineIndex,
    HotStateStore,
    LiveUpdates,
    OverdueAttempts,
    Transaction,
    UpdateKind,
)
from domain.attempt import Attempt, LiveAttempt
from domain.errors import AttemptAlreadyFinal, DomainError, TimeIsUp
from domain.exam import Exam
from domain.result import AttemptStatus


class AttemptFinaliser:
    """Submits or expires attempts under their row locks and commits; only then drops their
    hot state and index entries and tells live clients."""

    def __init__(
        self,
        attempts: Attempts,
        overdue: OverdueAttempts,
        loader: AttemptLoader,
        hot_state: HotStateStore,
        deadline_index: DeadlineIndex,
        live_updates: LiveUpdates,
        transaction: Transaction,
        policy: TimingPolicy,
        scoring: AdaptiveScoring,
    ) -> None:
        self._attempts = attempts
        self._overdue = overdue
        self._loader = loader
        self._hot_state = hot_state
        self._deadline_index = deadline_index
        self._live_updates = live_updates
        self._transaction = transaction
        self._policy = policy
        # Adaptive attempts: theta and se for the result, replayed from their responses.
        self._scoring = scoring

    @overload
    async def settle(self, attempt: Attempt, now: datetime) -> Attempt: ...
    @overload
    async def settle(self, attempt: LiveAttempt, now: datetime) -> LiveAttempt: ...
    async def settle(self, attempt: LiveAttempt, now: datetime) -> LiveAttempt:
        """The attempt as it stands: if this (possibly cached) copy says its time ran out,
        it is expired first under its row lock (lazy expiry)."""
        if attempt.is_overdue(now, self._policy.network_grace):
            return await self.expire_if_overdue(attempt.id, now)
        return attempt

    def overdue_at(self, attempt: LiveAttempt) -> datetime | None:
        """When `settle` would expire this attempt (None: never by its clock, e.g. paused)."""
        if attempt.is_final:
            return None
        return attempt.timer.overdue_at(self._policy.network_grace)

    async def refuse_if_expired(self, attempt: LiveAttempt, now: datetime) -> None:
        """Settle the attempt; if its time ran out, raise TimeIsUp carrying its result (the
        410 a late answer or response gets once PostgreSQL has refused it)."""
        settled = await self.settle(attempt, now)
        if settled.status is AttemptStatus.EXPIRED:
            raise TimeIsUp(result=settled.result)

    async def expire_if_overdue(self, attempt_id: UUID, now: datetime) -> Attempt:
        """Expire the attempt if its time ran out; return it as it now stands."""
        attempt = await self._locked(attempt_id)
        if attempt.is_overdue(now, self._policy.network_grace):
            return (await self.expire_locked([attempt], now))[0]
        await self._transaction.rollback()
        return attempt

    async def expire_locked(self, attempts: Sequence[Attempt], now: datetime) -> Sequence[Attempt]:
        """Expire overdue attempts whose rows this transaction holds locked, in one commit."""
        exams: dict[UUID, Exam] = {}  # a sweep's batch shares few exams: one read each
        for attempt in attempts:
            if attempt.exam_id not in exams:
                exams[attempt.exam_id] = await self._loader.scoring_exam_of(attempt)
            exam = exams[attempt.exam_id]
            ability = self._scoring.ability(exam, attempt)  # None for a fixed form
            attempt.expire(exam, now, self._policy.network_grace, ability)
        await self._overdue.update_all(attempts)
        await self._commit_final(attempts)
        return attempts

    async def submit(self, attempt_id: UUID, now: datetime) -> Attempt:
        """Submit, or expire if past deadline + grace; a final attempt is returned as is."""
        attempt = await self._locked(attempt_id)
        if attempt.is_final:
            await self._transaction.rollback()
            return attempt
        try:
            exam = await self._loader.scoring_exam_of(attempt)
            attempt.submit(exam, now, self._scoring.ability(exam, attempt))  # None if fixed
        except (DomainError, ApplicationError):
            await self._transaction.rollback()  # release the row lock at once
            raise
        await self._attempts.update(attempt)
        await self._commit_final([attempt])
        return attempt

    async def terminate(self, attempt_id: UUID, reason: str, now: datetime) -> Attempt:
        """An admin ends the attempt now, scored like a submit. One already past its time is
        expired instead (AttemptAlreadyFinal): the sweeper was about to finalise it."""
        attempt = await self._locked(attempt_id)
        if attempt.is_overdue(now, self._policy.network_grace):
            await self.expire_locked([attempt], now)
            raise AttemptAlreadyFinal("the attempt's time ran out before it was terminated")
        try:
            exam = await self._loader.scoring_exam_of(attempt)
            attempt.terminate(
                exam, reason=reason, now=now, ability=self._scoring.ability(exam, attempt)
            )
        except (DomainError, ApplicationError):
            await self._transaction.rollback()
            raise
        await self._attempts.update(attempt)
        await self._commit_final([attempt])
        return attempt

    async def _locked(self, attempt_id: UUID) -> Attempt:
        attempt = await self._attempts.get_for_update(attempt_id)
        if attempt is None:
            raise AttemptNotFound()
        return attempt

    async def _commit_final(self, attempts: Sequence[Attempt]) -> None:
        await self._transaction.commit()
        # A sweeper batch is hundreds of attempts: each clean-up is one round trip for all.
        ids = [attempt.id for attempt in attempts]
        await self._hot_state.forget_all(ids)
        await self._deadline_index.unschedule(ids)
        await self._live_updates.publish_all(
            [
                AttemptUpdate(attempt_id=a.id, kind=UpdateKind.STATUS, reason=a.status.value)
                for a in attempts
            ]
        )
