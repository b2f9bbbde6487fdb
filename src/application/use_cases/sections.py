"""The candidate leaves a section (finish) or a sequential section's question (next)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.errors import ApplicationError, AttemptNotFound
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_owner
from application.policy import TimingPolicy
from application.ports import Attempts, Clock, Transaction
from application.views import AttemptView
from domain.attempt import Attempt
from domain.errors import DomainError, TimeIsUp
from domain.exam import Exam


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionCommand:
    actor: Actor
    attempt_id: UUID
    section_id: str | None = None  # finish: the section the candidate means to leave


SectionChange = Callable[[Attempt, Exam], object]


class _SectionStep:
    """Lock the attempt, let the domain change its sections, commit, then announce: the
    deadline index learns the next due time and live clients hear `section_changed`."""

    def __init__(
        self,
        attempts: Attempts,
        loader: AttemptLoader,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._attempts = attempts
        self._loader = loader
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock
        self._policy = policy

    async def _apply(self, command: SectionCommand, change: SectionChange) -> AttemptView:
        now = self._clock.now()
        attempt = await self._attempts.get_for_update(command.attempt_id)
        try:
            if attempt is None:
                raise AttemptNotFound()
            ensure_owner(attempt, command.actor)
            overdue = attempt.is_overdue(now, self._policy.network_grace)
            if not overdue:
                change(attempt, await self._loader.scoring_exam_of(attempt))
        except (DomainError, ApplicationError):
            await self._transaction.rollback()
            raise
        if overdue:  # the attempt's time ran out: it expires instead (410 with the result)
            await self._transaction.rollback()
            expired = await self._finaliser.expire_if_overdue(attempt.id, now)
            raise TimeIsUp(result=expired.result)
        await self._attempts.update(attempt)
        await self._finaliser.commit_section_change(attempt)
        return AttemptView(attempt=attempt, server_time=now)


class FinishSection(_SectionStep):
    """`POST /attempts/{id}/sections/{sid}/finish`: the next section starts now; finishing
    the last one submits the attempt."""

    async def __call__(self, command: SectionCommand) -> AttemptView:
        section_id = command.section_id or ""
        now, grace = self._clock.now(), self._policy.network_grace

        def finish(attempt: Attempt, exam: Exam) -> object:
            return attempt.finish_section(exam, section_id, now=now, network_grace=grace)

        return await self._apply(command, finish)


class MoveOn(_SectionStep):
    """`POST /attempts/{id}/next`: a sequential section's next question; the one left is
    locked from now."""

    async def __call__(self, command: SectionCommand) -> AttemptView:
        now, grace = self._clock.now(), self._policy.network_grace
        return await self._apply(
            command, lambda attempt, _: attempt.move_on(now=now, network_grace=grace)
        )
