"""An admin (or the platform) scores an essay or external answer of a final attempt."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from uuid import UUID

from application.attempt_loader import AttemptLoader
from application.errors import AttemptNotFound
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Attempts, Clock, Transaction
from domain.errors import AttemptNotFinal, DomainError
from domain.questions import exact_points
from domain.result import AttemptResult
from domain.scores import AwardedScore


@dataclass(frozen=True, slots=True, kw_only=True)
class ScoreCommand:
    actor: Actor
    attempt_id: UUID
    question_id: str
    points: Decimal
    comment: str | None = None


class ScoreAnswer:
    """Give one answer its points; the result is recomputed and both are audited
    (`question_scored`, and `attempt_rescored` by the score that leaves nothing pending).

    The attempt must be final (409 otherwise): an attempt overdue but not yet swept is
    expired first. What the candidate answered is never changed.
    """

    def __init__(
        self,
        attempts: Attempts,
        loader: AttemptLoader,
        finaliser: AttemptFinaliser,
        transaction: Transaction,
        clock: Clock,
    ) -> None:
        self._attempts = attempts
        self._loader = loader
        self._finaliser = finaliser
        self._transaction = transaction
        self._clock = clock

    async def __call__(self, command: ScoreCommand) -> AttemptResult:
        ensure_admin(command.actor)
        awarded = AwardedScore(
            points=exact_points(command.points),
            scorer=command.actor.user_id,
            comment=command.comment,
        )
        now = self._clock.now()
        live = await self._loader.live(command.attempt_id)
        await self._finaliser.settle(live, now)
        attempt = await self._attempts.get_for_update(command.attempt_id)
        if attempt is None:
            raise AttemptNotFound()
        try:
            if not attempt.is_final:
                raise AttemptNotFinal()
            exam = await self._loader.scoring_exam_of(attempt)
            result = attempt.award(exam, exam.question(command.question_id), awarded, now=now)
        except DomainError:
            await self._transaction.rollback()
            raise
        await self._attempts.update(attempt)
        await self._transaction.commit()
        return result
