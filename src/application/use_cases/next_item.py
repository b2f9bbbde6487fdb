from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.identity import Actor
from application.permissions import ensure_owner
from application.policy import TimingPolicy
from application.ports import Clock
from domain.attempt import LiveAttempt
from domain.errors import TimeIsUp
from domain.exam import Question
from domain.result import AttemptResult, AttemptStatus
from domain.shuffle import as_attempt_sees


@dataclass(frozen=True, slots=True, kw_only=True)
class NextItemQuery:
    actor: Actor
    attempt_id: UUID


@dataclass(frozen=True, slots=True, kw_only=True)
class NextItem:
    """The item to answer now (`position` counts from 1), or the result once `done`."""

    done: bool
    item: Question | None = None
    position: int = 0
    result: AttemptResult | None = None


class GetNextItem:
    """The candidate asks which item of an adaptive attempt comes next.

    The engine state comes from hot state or is replayed from PostgreSQL: the same item
    either way. When a stopping rule has fired the attempt is submitted here, with its
    ability estimate, and the answer is the result.
    """

    def __init__(
        self,
        loader: AttemptLoader,
        progress: AdaptiveProgress,
        engines: AdaptiveEngines,
        finaliser: AttemptFinaliser,
        clock: Clock,
        policy: TimingPolicy,
    ) -> None:
        self._loader = loader
        self._progress = progress
        self._engines = engines
        self._finaliser = finaliser
        self._clock = clock
        self._policy = policy

    async def __call__(self, query: NextItemQuery) -> NextItem:
        now = self._clock.now()
        attempt = await self._loader.live(query.attempt_id)
        ensure_owner(attempt, query.actor)
        exam = await self._loader.exam_of(attempt)
        engine = self._engines.engine_for(exam)  # WrongExamMode on a fixed-form exam
        attempt = await self._serving(attempt, now)
        if attempt.is_final:
            return _done(attempt)
        state = await self._progress.current(attempt, exam)
        index = engine.next_item(state)
        if index is None:
            final = await self._finaliser.submit(attempt.id, now)
            await self._progress.forget(final)
            return _done(final)
        item = as_attempt_sees(exam, attempt.id, exam.question(engine.bank.item_ids[index]))
        return NextItem(done=False, item=item, position=state.items_administered + 1)

    async def _serving(self, attempt: LiveAttempt, now: datetime) -> LiveAttempt:
        """The attempt if it may show an item, or final (expired here if overdue)."""
        grace = self._policy.network_grace
        if attempt.is_overdue(now, grace):
            return await self._finaliser.expire_if_overdue(attempt.id, now)
        if attempt.is_final:
            return attempt
        try:
            attempt.ensure_serves_items(now, grace)
        except TimeIsUp:
            # Hot state may not know of an extension yet: ask the source.
            attempt = await self._loader.durable(attempt.id)
            if not attempt.is_final:
                attempt.ensure_serves_items(now, grace)
        return attempt


def _done(attempt: LiveAttempt) -> NextItem:
    if attempt.status is AttemptStatus.EXPIRED:
        raise TimeIsUp("the attempt's time ran out", result=attempt.result)
    return NextItem(done=True, result=attempt.result)
