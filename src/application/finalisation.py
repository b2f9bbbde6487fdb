"""The one path by which an attempt becomes final, shared by submit and every expiry."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from application.attempt_access import AttemptLoader
from application.errors import AttemptNotFound
from application.policy import TimingPolicy
from application.ports import AttemptRepository, HotStateStore, Transaction
from domain.attempt import Attempt
from domain.errors import DomainError


class AttemptFinaliser:
    """Submits or expires an attempt under its row lock, commits, then drops its hot state."""

    def __init__(
        self,
        attempts: AttemptRepository,
        loader: AttemptLoader,
        hot_state: HotStateStore,
        transaction: Transaction,
        policy: TimingPolicy,
    ) -> None:
        self._attempts = attempts
        self._loader = loader
        self._hot_state = hot_state
        self._transaction = transaction
        self._policy = policy

    async def expire_if_overdue(self, attempt_id: UUID, now: datetime) -> Attempt:
        """Expire the attempt if its time ran out; return it as it now stands."""
        attempt = await self._locked(attempt_id)
        if attempt.is_overdue(now, self._policy.network_grace):
            attempt.expire(await self._loader.exam_of(attempt), now, self._policy.network_grace)
            await self._finish(attempt)
        else:
            await self._transaction.rollback()
        return attempt

    async def submit(self, attempt_id: UUID, now: datetime) -> Attempt:
        """Submit, or expire if past deadline + grace; a final attempt is returned as is."""
        attempt = await self._locked(attempt_id)
        if attempt.is_final:
            await self._transaction.rollback()
            return attempt
        try:
            attempt.submit(await self._loader.exam_of(attempt), now)
        except DomainError:
            await self._transaction.rollback()  # release the row lock at once
            raise
        await self._finish(attempt)
        return attempt

    async def _locked(self, attempt_id: UUID) -> Attempt:
        attempt = await self._attempts.get_for_update(attempt_id)
        if attempt is None:
            raise AttemptNotFound()
        return attempt

    async def _finish(self, attempt: Attempt) -> None:
        await self._attempts.update(attempt)
        await self._transaction.commit()
        await self._hot_state.forget(attempt.id)
