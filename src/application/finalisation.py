"""The one path by which an attempt becomes final, shared by submit and every expiry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import overload
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.candidate_priors import CandidatePriors
from application.errors import ApplicationError, AttemptNotFound
from application.identity import Actor
from application.permissions import ensure_owner
from application.policy import TimingPolicy
from application.ports import (
    AdaptiveScoring,
    Attempts,
    AttemptUpdate,
    DeadlineIndex,
    FinalWrites,
    HotStateStore,
    LiveUpdates,
    OverdueAttempts,
    Transaction,
    UpdateKind,
)
from application.ports.proficiencies import Proficiencies
from domain.attempt import Attempt, LiveAttempt
from domain.errors import AttemptAlreadyFinal, DomainError, TimeIsUp
from domain.exam import Exam, ExamMode
from domain.proficiency import ProficiencyEstimate
from domain.regrade import Regrade, regraded
from domain.result import AbilityEstimate, AttemptStatus


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
        proficiencies: Proficiencies,
        priors: CandidatePriors,
        final_writes: FinalWrites,
    ) -> None:
        self._attempts = attempts
        # The submit's own write: read, score, write back if unchanged, in two statements
        # and no ORM (at the deadline every candidate submits at once).
        self._final_writes = final_writes
        self._overdue = overdue
        self._loader = loader
        self._hot_state = hot_state
        self._deadline_index = deadline_index
        self._live_updates = live_updates
        self._transaction = transaction
        self._policy = policy
        # Adaptive attempts: theta and se for the result, replayed from their responses.
        self._scoring = scoring
        # Adaptive attempts leave the candidate's proficiency, written in the same commit.
        self._proficiencies = proficiencies
        self._priors = priors

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
            ability = await self._ability(exam, attempt)  # None for a fixed form
            attempt.expire(exam, now, self._policy.network_grace, ability)
        await self._overdue.update_all(attempts)
        await self._commit_final(attempts)
        return attempts

    async def settle_locked(self, attempts: Sequence[Attempt], now: datetime) -> Sequence[Attempt]:
        """The sweeper's batch, locked by this transaction: an overdue attempt expires; one
        whose running section's clock ran out has that section finished (the last one's
        end expires it). One commit; then each is cleaned up, rescheduled and announced."""
        exams: dict[UUID, Exam] = {}
        grace = self._policy.network_grace
        for attempt in attempts:
            if attempt.exam_id not in exams:
                exams[attempt.exam_id] = await self._loader.scoring_exam_of(attempt)
            exam = exams[attempt.exam_id]
            if attempt.is_overdue(now, grace):
                attempt.expire(exam, now, grace, await self._ability(exam, attempt))
            elif attempt.section_overdue(now, grace):
                attempt.finish_overdue_section(exam, now, grace)
        await self._overdue.update_all(attempts)
        final = [attempt for attempt in attempts if attempt.is_final]
        await self._commit_final(final)
        await self.announce_sections([attempt for attempt in attempts if not attempt.is_final])
        return attempts

    async def announce_sections(self, attempts: Sequence[Attempt]) -> None:
        """After a committed change of section: the deadline index learns the attempt's
        next due time, and live clients hear `section_changed`."""
        if not attempts:
            return
        grace = self._policy.network_grace
        due = [(a.id, at) for a in attempts if (at := a.due_at(grace)) is not None]
        await self._deadline_index.schedule_all(due)
        await self._live_updates.publish_all(
            [
                AttemptUpdate(attempt_id=a.id, kind=UpdateKind.SECTION_CHANGED, reason="section")
                for a in attempts
            ]
        )

    async def commit_section_change(self, attempt: Attempt) -> None:
        """Commit a section change written in this transaction (a finish of the last section
        made the attempt final: cleaned up as any finalisation), then announce it."""
        if attempt.is_final:
            await self._commit_final([attempt])
            return
        await self._transaction.commit()
        await self.announce_sections([attempt])

    async def submit(
        self, attempt_id: UUID, now: datetime, *, owner: Actor | None = None
    ) -> Attempt:
        """Submit, or expire if past deadline + grace; a final attempt is returned as is.
        With `owner`, only that candidate's attempt (AccessDenied otherwise)."""
        finalised: list[Attempt] = []
        locked_path: list[Attempt] = []

        async def decide(attempt: Attempt, regrades: list[Regrade]) -> bool:
            finalised.clear()  # decided anew when another writer came first
            if owner is not None:
                ensure_owner(attempt, owner)
            if attempt.is_final:
                return False
            exam = regraded(await self._loader.exam_of(attempt), regrades)
            if exam.mode is ExamMode.ADAPTIVE:
                # The candidate's proficiency is written in the finalising transaction,
                # which the two-statement write does not carry: the locked path does.
                locked_path.append(attempt)
                return False
            attempt.submit(exam, now, None)  # fixed form: no ability
            finalised.append(attempt)
            return True

        attempt = await self._final_writes.finalise(attempt_id, decide)
        if attempt is None:
            raise AttemptNotFound()
        if locked_path:
            return await self._submit_locked(attempt_id, now, owner)
        if finalised:  # committed: now its hot state, index entry and live clients
            await self._after_commit(finalised)
        return attempt

    async def _submit_locked(self, attempt_id: UUID, now: datetime, owner: Actor | None) -> Attempt:
        """The submit under the row lock, in one transaction with the proficiency write."""
        attempt = await self._locked(attempt_id)
        if owner is not None:
            try:
                ensure_owner(attempt, owner)
            except ApplicationError:
                await self._transaction.rollback()
                raise
        if attempt.is_final:
            await self._transaction.rollback()
            return attempt
        try:
            exam = await self._loader.scoring_exam_of(attempt)
            attempt.submit(exam, now, await self._ability(exam, attempt))  # None if fixed
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
                exam, reason=reason, now=now, ability=await self._ability(exam, attempt)
            )
        except (DomainError, ApplicationError):
            await self._transaction.rollback()
            raise
        await self._attempts.update(attempt)
        await self._commit_final([attempt])
        return attempt

    async def _ability(self, exam: Exam, attempt: Attempt) -> AbilityEstimate | None:
        prior = await self._priors.prior_for(exam, attempt)
        return self._scoring.ability(exam, attempt, prior)

    async def _locked(self, attempt_id: UUID) -> Attempt:
        attempt = await self._attempts.get_for_update(attempt_id)
        if attempt is None:
            raise AttemptNotFound()
        return attempt

    async def _commit_final(self, attempts: Sequence[Attempt]) -> None:
        estimates = [ProficiencyEstimate.of_final(attempt) for attempt in attempts]
        await self._proficiencies.record_all([e for e in estimates if e is not None])
        await self._transaction.commit()
        await self._after_commit(attempts)

    async def _after_commit(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:  # a sweep that only finished sections
            return
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
