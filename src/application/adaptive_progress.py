"""Where an adaptive attempt stands: its engine state, from hot state or replayed."""

from __future__ import annotations

import logging

from application.adaptive_engines import AdaptiveEngines
from application.attempt_access import AttemptLoader
from application.ports import AdaptiveStateStore
from domain.adaptive import AdaptiveState, InvalidStateError
from domain.adaptive.exam_engine import attempt_seed, replay_responses
from domain.attempt import Attempt
from domain.exam import Exam

logger = logging.getLogger(__name__)


class AdaptiveProgress:
    """Loads, rebuilds and keeps the engine state of adaptive attempts.

    The hot copy is trusted when present (every accepted response refreshes it, and a
    write PostgreSQL refuses leads to `rebuilt`); on a miss, or when the bytes do not fit
    the attempt and its exam, the state is replayed from the responses in PostgreSQL,
    which gives exactly the state the responses led to, and cached again.
    """

    def __init__(
        self, loader: AttemptLoader, store: AdaptiveStateStore, engines: AdaptiveEngines
    ) -> None:
        self._loader = loader
        self._store = store
        self._engines = engines

    async def current(self, attempt: Attempt, exam: Exam) -> AdaptiveState:
        cached = await self._store.get(attempt.id)
        if cached is not None:
            try:
                state = AdaptiveState.decode(cached.state)
            except InvalidStateError as error:
                logger.warning("rebuilding unreadable adaptive state of %s: %s", attempt.id, error)
            else:
                if self._fits(state, attempt, exam):
                    return state
        return (await self.rebuilt(attempt, exam))[1]

    async def rebuilt(self, attempt: Attempt, exam: Exam) -> tuple[Attempt, AdaptiveState]:
        """The attempt as PostgreSQL has it and the state its responses lead to (cached)."""
        durable = await self._loader.durable(attempt.id)
        engine = self._engines.engine_for(exam)
        state = replay_responses(engine, durable.id, durable.responses)
        await self.keep(durable, state)
        return durable, state

    async def keep(self, attempt: Attempt, state: AdaptiveState) -> None:
        """Cache `state` as the attempt's at `attempt.version`."""
        await self._store.put(attempt, state.encode())

    async def forget(self, attempt: Attempt) -> None:
        await self._store.forget(attempt.id)

    def _fits(self, state: AdaptiveState, attempt: Attempt, exam: Exam) -> bool:
        size = self._engines.engine_for(exam).bank.size
        return state.attempt_seed == attempt_seed(attempt.id) and all(
            index < size for index in state.administered
        )
