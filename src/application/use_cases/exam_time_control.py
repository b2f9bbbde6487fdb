"""An admin changes the time of every attempt in progress at an exam at once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from application.deadline_changes import TimeChange
from application.errors import ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.policy import TimingPolicy
from application.ports import (
    AttemptUpdate,
    Clock,
    DeadlineIndex,
    ExamRepository,
    HotStateStore,
    LiveUpdates,
    Transaction,
    UpdateKind,
)
from application.ports.running_attempts import RunningAttempts
from application.use_cases.terminate_attempt import ReasonRequired
from domain.attempt import Attempt
from domain.errors import DomainError, InvalidExtension

# Hot-state, index writes and announcements go out this many attempts at a time: each
# batch is one pipeline per kind (per node on a cluster).
FOLLOW_UP_BATCH = 2000


class TimeAction(StrEnum):
    EXTEND = "extend"
    PAUSE = "pause"
    RESUME = "resume"


# What a live client is told: the same reasons as the single-attempt routes announce.
_REASONS = {
    TimeAction.EXTEND: "time_extended",
    TimeAction.PAUSE: "paused",
    TimeAction.RESUME: "unpaused",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class ExamTimeCommand:
    actor: Actor
    exam_id: UUID
    action: TimeAction
    reason: str
    seconds: float | None = None
    candidate_ids: Sequence[str] | None = None  # None: every candidate


class ControlExamTime:
    """Extend (or take time from), pause or resume every attempt in progress at an exam, or
    those of the named candidates. Each attempt is changed by the same domain rules as a
    single change, audited with its own event; attempts the action does not apply to (one
    already paused, one not paused, one already past its time) are left out of the count.
    Storage first, in one transaction; then hot state, the deadline index and one live
    announcement per attempt, in batches."""

    def __init__(
        self,
        exams: ExamRepository,
        running: RunningAttempts,
        hot_state: HotStateStore,
        deadline_index: DeadlineIndex,
        live_updates: LiveUpdates,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._exams = exams
        self._running = running
        self._hot_state = hot_state
        self._deadline_index = deadline_index
        self._live_updates = live_updates
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def __call__(self, command: ExamTimeCommand) -> int:
        ensure_admin(command.actor)
        if not command.reason.strip():
            raise ReasonRequired()
        change = _change(command)
        if await self._exams.get(command.exam_id) is None:
            raise ExamNotFound()
        now = self._clock.now()
        attempts = await self._running.lock_running(command.exam_id, command.candidate_ids)
        changed = [attempt for attempt in attempts if self._applies(change, attempt, now)]
        await self._running.write_timers(changed)
        await self._transaction.commit()
        await self._follow(changed, command.action)
        return len(changed)

    def _applies(self, change: TimeChange, attempt: Attempt, now: datetime) -> bool:
        if attempt.is_overdue(now, self._policy.network_grace):
            return False  # the sweeper's to expire: no time is given back to it
        try:
            change(attempt, now)
        except DomainError:
            return False
        return True

    async def _follow(self, attempts: Sequence[Attempt], action: TimeAction) -> None:
        # Batch by batch, each one's hot state and index entries first (together), then its
        # announcements: a client told of the change reads the new time, and the first
        # candidates hear of it before the last batch is written.
        for start in range(0, len(attempts), FOLLOW_UP_BATCH):
            batch = attempts[start : start + FOLLOW_UP_BATCH]
            unscheduled = []
            scheduled = []
            for attempt in batch:
                overdue_at = attempt.due_at(self._policy.network_grace)
                if overdue_at is None:
                    unscheduled.append(attempt.id)
                else:
                    scheduled.append((attempt.id, overdue_at))
            await asyncio.gather(
                self._hot_state.put_all(batch),
                self._deadline_index.schedule_all(scheduled),
                self._deadline_index.unschedule(unscheduled),
            )
            await self._live_updates.publish_all(
                [
                    AttemptUpdate(
                        attempt_id=a.id, kind=UpdateKind.DEADLINE_CHANGED, reason=_REASONS[action]
                    )
                    for a in batch
                ]
            )


def _change(command: ExamTimeCommand) -> TimeChange:
    """The change to apply to each attempt; InvalidExtension (422) for a bad command."""
    reason = command.reason
    if command.action is TimeAction.EXTEND:
        seconds = command.seconds
        if seconds is None or not (seconds > 0 or seconds < 0):
            raise InvalidExtension("extend needs non-zero seconds")
        try:
            by = timedelta(seconds=seconds)
        except OverflowError:
            raise InvalidExtension("seconds is too large") from None
        if abs(by) > timedelta(days=7):
            raise InvalidExtension("an extension must be at most 7 days either way")
        return lambda attempt, now: attempt.extend(by, reason=reason, now=now)
    if command.seconds is not None:
        raise InvalidExtension(f"{command.action} takes no seconds")
    if command.action is TimeAction.PAUSE:
        return lambda attempt, now: attempt.pause(reason=reason, now=now)
    return lambda attempt, now: attempt.unpause(now)
