"""An admin reopens a final attempt with new time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from application.deadline_changes import DeadlineChanges
from application.errors import ActiveAttemptExists, ApplicationError
from application.identity import Actor
from application.permissions import ensure_admin
from application.use_cases.terminate_attempt import ReasonRequired
from application.views import AttemptView
from domain.attempt import Attempt
from domain.errors import InvalidExtension


class AnotherAttemptInProgress(ApplicationError):
    """The candidate has another attempt in progress at the exam: one at a time (409)."""

    default_message = "the candidate has another attempt in progress at this exam"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReopenCommand:
    actor: Actor
    attempt_id: UUID
    seconds: float
    reason: str


class ReopenAttempt:
    """An admin reopens a submitted, expired or terminated attempt: in progress again, its
    deadline now + `seconds`, its answers kept. Hot state, the deadline index and the
    candidate's stream follow as for any change of time."""

    def __init__(self, changes: DeadlineChanges) -> None:
        self._changes = changes

    async def __call__(self, command: ReopenCommand) -> AttemptView:
        ensure_admin(command.actor)
        if not command.reason.strip():
            raise ReasonRequired()
        try:
            for_time = timedelta(seconds=command.seconds)
        except OverflowError:
            raise InvalidExtension("seconds is too large") from None

        def reopen(attempt: Attempt, now: datetime) -> None:
            attempt.reopen(for_time, reason=command.reason, now=now)

        try:
            return await self._changes.apply(command.attempt_id, reopen, "reopened")
        except ActiveAttemptExists:
            raise AnotherAttemptInProgress() from None
