from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.deadline_changes import DeadlineChanges
from application.identity import Actor
from application.permissions import ensure_admin
from application.views import AttemptView
from domain.attempt import Attempt
from domain.errors import InvalidExtension


@dataclass(frozen=True, slots=True, kw_only=True)
class ExtendTimeCommand:
    actor: Actor
    attempt_id: UUID
    seconds: float
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class PauseCommand:
    actor: Actor
    attempt_id: UUID
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResumeCommand:
    actor: Actor
    attempt_id: UUID


class ExtendTime:
    """An admin gives an attempt in progress extra time, or takes some away (negative
    seconds, never past now); its deadline moves at once."""

    def __init__(self, changes: DeadlineChanges) -> None:
        self._changes = changes

    async def __call__(self, command: ExtendTimeCommand) -> AttemptView:
        ensure_admin(command.actor)
        # Negative seconds take time away (the domain clamps them so the deadline never
        # falls before now); zero and NaN change nothing and are refused.
        if not (command.seconds > 0 or command.seconds < 0):
            raise InvalidExtension("seconds must not be zero")
        if not command.reason.strip():  # checked first: a bad request is 422 whatever the attempt
            raise InvalidExtension("an extension needs a reason")
        try:
            by = timedelta(seconds=command.seconds)
        except OverflowError:  # inf, or beyond what a timedelta holds
            raise InvalidExtension("seconds is too large") from None

        def extend(attempt: Attempt, now: datetime) -> None:
            attempt.extend(by, reason=command.reason, now=now)

        return await self._changes.apply(command.attempt_id, extend, "time_extended")


class PauseAttempt:
    """An admin pauses an attempt: it accepts nothing and its clock stops."""

    def __init__(self, changes: DeadlineChanges) -> None:
        self._changes = changes

    async def __call__(self, command: PauseCommand) -> AttemptView:
        ensure_admin(command.actor)

        def pause(attempt: Attempt, now: datetime) -> None:
            attempt.pause(reason=command.reason, now=now)

        return await self._changes.apply(command.attempt_id, pause, "paused")


class ResumeAttempt:
    """An admin resumes a paused attempt; its deadline moves by the time spent paused."""

    def __init__(self, changes: DeadlineChanges) -> None:
        self._changes = changes

    async def __call__(self, command: ResumeCommand) -> AttemptView:
        ensure_admin(command.actor)

        def unpause(attempt: Attempt, now: datetime) -> None:
            attempt.unpause(now)

        return await self._changes.apply(command.attempt_id, unpause, "unpaused")
