"""A candidate flags a question to come back to, or clears the flag."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_owner
from application.ports import Clock, Transaction
from application.ports.attempt_flags import AttemptFlags
from domain.errors import AttemptAlreadyFinal
from domain.flags import ensure_flaggable


@dataclass(frozen=True, slots=True, kw_only=True)
class FlagCommand:
    actor: Actor
    attempt_id: UUID
    question_id: str
    flagged: bool


class SetFlag:
    """Sets or clears one flag of the owner's attempt in progress; returns every flag in
    the order they were set. Not audited: a flag changes nothing that is scored, and
    the trail records what counts (docs/api-choices.md)."""

    def __init__(
        self,
        loader: AttemptLoader,
        finaliser: AttemptFinaliser,
        flags: AttemptFlags,
        transaction: Transaction,
        clock: Clock,
    ) -> None:
        self._loader = loader
        self._finaliser = finaliser
        self._flags = flags
        self._transaction = transaction
        self._clock = clock

    async def __call__(self, command: FlagCommand) -> tuple[str, ...]:
        attempt = await self._loader.live(command.attempt_id)
        ensure_owner(attempt, command.actor)
        # An attempt whose time ran out is expired first: then it is final, and refused.
        attempt = await self._finaliser.settle(attempt, self._clock.now())
        exam = await self._loader.exam_of(attempt)
        ensure_flaggable(attempt, exam, command.question_id)
        flags = await self._flags.set_flag(attempt.id, command.question_id, flagged=command.flagged)
        if flags is None:
            # Submitted or expired between the read and the write.
            raise AttemptAlreadyFinal("flags are for an attempt in progress")
        await self._transaction.commit()
        return flags
