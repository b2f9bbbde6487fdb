"""An admin ends an attempt before its time."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.errors import ApplicationError
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Clock
from domain.result import AttemptResult


class ReasonRequired(ApplicationError):
    """An admin's change to an attempt's lifecycle must say why (422)."""

    default_message = "a reason is required"


@dataclass(frozen=True, slots=True, kw_only=True)
class TerminateCommand:
    actor: Actor
    attempt_id: UUID
    reason: str


class TerminateAttempt:
    """An admin terminates an attempt in progress: it is final at once with status
    `terminated`, scored like a submit; the reason stays in its audit trail. Terminating a
    final attempt is refused (409), so a result is never replaced by a later call."""

    def __init__(self, finaliser: AttemptFinaliser, clock: Clock) -> None:
        self._finaliser = finaliser
        self._clock = clock

    async def __call__(self, command: TerminateCommand) -> AttemptResult:
        ensure_admin(command.actor)
        if not command.reason.strip():
            raise ReasonRequired()
        attempt = await self._finaliser.terminate(
            command.attempt_id, command.reason, self._clock.now()
        )
        assert attempt.result is not None  # terminate always leaves the attempt final
        return attempt.result
