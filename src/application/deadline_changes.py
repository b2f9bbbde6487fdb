"""How a change of an attempt's time reaches storage, hot state, the sweeper and clients."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from application.errors import AttemptNotFound
from application.finalisation import AttemptFinaliser
from application.policy import TimingPolicy
from application.ports import (
    Attempts,
    AttemptUpdate,
    Clock,
    DeadlineIndex,
    HotStateStore,
    LiveUpdates,
    Transaction,
    UpdateKind,
)
from application.views import AttemptView
from domain.attempt import Attempt
from domain.errors import AttemptAlreadyFinal, DomainError

TimeChange = Callable[[Attempt, datetime], None]


class DeadlineChanges:
    """Applies an admin's change of time (extension, accommodation, pause, resume)."""

    def __init__(
        self,
        attempts: Attempts,
        finaliser: AttemptFinaliser,
        hot_state: HotStateStore,
        deadline_index: DeadlineIndex,
        live_updates: LiveUpdates,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._attempts = attempts
        self._finaliser = finaliser
        self._hot_state = hot_state
        self._deadline_index = deadline_index
        self._live_updates = live_updates
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def apply(self, attempt_id: UUID, change: TimeChange, reason: str) -> AttemptView:
        """Lock the attempt, let the domain change its timer, commit, then announce it.

        An attempt already past its time is expired instead: time cannot be given back to
        an attempt the sweeper was about to finalise.
        """
        now = self._clock.now()
        attempt = await self._attempts.get_for_update(attempt_id)
        if attempt is None:
            raise AttemptNotFound()
        if attempt.is_overdue(now, self._policy.network_grace):
            await self._transaction.rollback()
            await self._finaliser.expire_if_overdue(attempt_id, now)
            raise AttemptAlreadyFinal("the attempt's time ran out before the change")
        try:
            change(attempt, now)
        except DomainError:
            await self._transaction.rollback()
            raise
        await self._attempts.update(attempt)
        await self._transaction.commit()
        await self.announce(attempt, reason)
        return AttemptView(attempt=attempt, server_time=now)

    async def announce(self, attempt: Attempt, reason: str) -> None:
        """Refresh hot state and the deadline index, and tell live clients."""
        await self._hot_state.put(attempt)
        await self.schedule(attempt)
        update = AttemptUpdate(
            attempt_id=attempt.id, kind=UpdateKind.DEADLINE_CHANGED, reason=reason
        )
        await self._live_updates.publish(update)

    async def schedule(self, attempt: Attempt) -> None:
        overdue_at = attempt.due_at(self._policy.network_grace)
        if overdue_at is None:
            await self._deadline_index.unschedule([attempt.id])
        else:
            await self._deadline_index.schedule(attempt.id, overdue_at)
