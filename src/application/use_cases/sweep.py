from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple
from uuid import UUID

from application.finalisation import AttemptFinaliser
from application.policy import TimingPolicy
from application.ports import (
    Attempts,
    Clock,
    DeadlineIndex,
    OverdueAttempts,
    SweeperLog,
    SweepReport,
    Transaction,
)
from domain.attempt import Attempt


@dataclass(frozen=True, slots=True, kw_only=True)
class SweepCommand:
    """`from_index`: attempts the deadline index says are due; `from_database`: every overdue
    attempt PostgreSQL knows of (the reconciliation that finds what Redis forgot)."""

    from_index: bool = True
    from_database: bool = True
    dry_run: bool = False
    batch_size: int = 500


class _Settled(NamedTuple):
    attempt_id: UUID
    lag: float
    final: bool  # expired; else only its running section was finished


class ExpireOverdueAttempts:
    """The sweeper's pass: finalise every overdue attempt, with its saved answers scored,
    and finish every section whose clock ran out (the same index, query and locks).

    Rows are taken with FOR UPDATE SKIP LOCKED, so sweepers in several processes share
    the work and each attempt is finalised exactly once.
    """

    def __init__(
        self,
        attempts: Attempts,
        overdue: OverdueAttempts,
        deadline_index: DeadlineIndex,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
        log: SweeperLog,
    ) -> None:
        self._attempts = attempts
        self._overdue = overdue
        self._deadline_index = deadline_index
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock
        self._policy = policy
        self._log = log

    async def __call__(self, command: SweepCommand) -> SweepReport:
        started = self._clock.now()
        expired: list[_Settled] = []  # and sections finished by their clock
        due: list[UUID] = []
        sources: list[str] = []
        if command.dry_run:
            grace = self._policy.network_grace
            due = await self._overdue.overdue_ids(started, grace, limit=command.batch_size)
        else:
            if command.from_index:
                sources.append("index")
                expired += await self._sweep_index(command.batch_size)
            if command.from_database:
                sources.append("database")
                expired += await self._sweep_database(command.batch_size)
        finals = [settled for settled in expired if settled.final]
        sections = [settled for settled in expired if not settled.final]
        report = SweepReport(
            started_at=started,
            finished_at=self._clock.now(),
            expired=tuple(settled.attempt_id for settled in finals),
            sections_finished=tuple(settled.attempt_id for settled in sections),
            lags_seconds=tuple(settled.lag for settled in (*finals, *sections)),
            due=tuple(due),
            dry_run=command.dry_run,
            sources=tuple(sources),
        )
        if not command.dry_run:
            await self._log.record(report)
        return report

    async def _sweep_index(self, batch_size: int) -> list[_Settled]:
        expired: list[_Settled] = []
        while due := await self._deadline_index.due(self._clock.now(), batch_size):
            locked = await self._lock(batch_size, among=due)
            if not locked:
                # Another sweeper may hold the head of the index: take other overdue rows.
                locked = await self._lock(batch_size)
                if locked:
                    expired += await self._expire(locked)
                    continue
                # Nothing else is overdue: the entries are stale, or held by others.
                await self._reschedule(set(due))
                break
            expired += await self._expire(locked)
            await self._reschedule(set(due) - {attempt.id for attempt in locked})
            if len(due) < batch_size:
                break
        return expired

    async def _sweep_database(self, batch_size: int) -> list[_Settled]:
        expired: list[_Settled] = []
        while locked := await self._lock(batch_size):
            expired += await self._expire(locked)
        return expired

    async def _lock(self, limit: int, among: list[UUID] | None = None) -> list[Attempt]:
        now, grace = self._clock.now(), self._policy.network_grace
        locked = await self._overdue.lock_overdue(now, grace, limit, among=among)
        if not locked:
            await self._transaction.rollback()
        return locked

    async def _expire(self, locked: list[Attempt]) -> list[_Settled]:
        """Expire (or finish the running section of) one locked batch; each attempt's lag
        runs from due (Attempt.due_at) to committed."""
        if not locked:
            return []
        due = {attempt.id: attempt.due_at(self._policy.network_grace) for attempt in locked}
        await self._finaliser.settle_locked(locked, self._clock.now())
        committed = self._clock.now()
        return [
            _Settled(attempt.id, self._lag(due[attempt.id], committed), attempt.is_final)
            for attempt in locked
        ]

    @staticmethod
    def _lag(due_at: datetime | None, committed: datetime) -> float:
        return 0.0 if due_at is None else max(0.0, (committed - due_at).total_seconds())

    async def _reschedule(self, attempt_ids: set[UUID]) -> None:
        """Index entries that were not expired: final, moved, or taken by another sweeper."""
        for attempt_id in attempt_ids:
            attempt = await self._attempts.get(attempt_id)
            overdue_at = None
            if attempt is not None and not attempt.is_final:
                overdue_at = attempt.due_at(self._policy.network_grace)
            if overdue_at is None:
                await self._deadline_index.unschedule([attempt_id])
            elif overdue_at > self._clock.now():
                await self._deadline_index.schedule(attempt_id, overdue_at)
            # Otherwise it is overdue but locked by another sweeper, which will finalise it.
