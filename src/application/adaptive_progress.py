"""Where an adaptive attempt stands: its engine state, from hot state or replayed."""

from __future__ import annotations

from uuid import UUID

from application.adaptive_engines import AdaptiveEngines
from application.attempt_loader import AttemptLoader
from application.bounded_cache import BoundedCache
from application.candidate_priors import CandidatePriors
from application.ports import AdaptiveStateStore
from domain.adaptive import AdaptiveEngine, AdaptiveState
from domain.adaptive.exam_engine import attempt_seed, replay_responses
from domain.attempt import Attempt, LiveAttempt
from domain.exam import Exam

# States this process recorded itself, kept for judging the next response; about 1 kB each.
_RECORDED_HERE_CAPACITY = 20_000


class AdaptiveProgress:
    """Loads, rebuilds and keeps the engine state of adaptive attempts.

    The hot copy is trusted when present (every accepted response refreshes it, and a
    write PostgreSQL refuses leads to `rebuilt`); on a miss, or when the copy does not fit
    the attempt and its exam, the state is replayed from the responses in PostgreSQL,
    which gives exactly the state the responses led to, and cached again.

    Responses are judged by `for_response`, which prefers the state this process itself
    last kept for the attempt (with its EAP grid, so nothing is decoded or recomputed).
    """

    def __init__(
        self,
        loader: AttemptLoader,
        store: AdaptiveStateStore,
        engines: AdaptiveEngines,
        priors: CandidatePriors,
    ) -> None:
        self._loader = loader
        self._store = store
        self._engines = engines
        self._priors = priors
        self._recorded_here: BoundedCache[UUID, AdaptiveState] = BoundedCache(
            _RECORDED_HERE_CAPACITY
        )

    async def for_response(self, attempt: LiveAttempt, exam: Exam) -> AdaptiveState:
        """The state to judge a response by.

        This process's own copy is behind when another process has recorded a response
        since, and that is safe only here: the write that follows requires PostgreSQL's
        response count to equal the state's, and a refused write is retried on `rebuilt`.
        Item requests have no such check and read the shared copy (`current`). Most
        responses thus skip a Redis round trip.
        """
        recorded = self._recorded_here.get(attempt.id)
        if recorded is not None:
            return recorded
        return await self.current(attempt, exam)

    async def current(self, attempt: LiveAttempt, exam: Exam) -> AdaptiveState:
        cached = await self._store.get(attempt.id)
        if cached is not None and self._fits(cached, attempt, exam):
            return cached
        return (await self.rebuilt(attempt, exam))[1]

    async def engine_for(self, attempt: LiveAttempt, exam: Exam) -> AdaptiveEngine:
        """The exam's engine as the attempt runs it: from the attempt's prior."""
        return self._engines.engine_for(exam, await self._priors.prior_for(exam, attempt))

    async def started(self, attempt: LiveAttempt, exam: Exam) -> None:
        """Cache the state of a new attempt, before its first response."""
        engine = await self.engine_for(attempt, exam)
        await self.keep(attempt, replay_responses(engine, attempt.id, ()))

    async def rebuilt(self, attempt: LiveAttempt, exam: Exam) -> tuple[Attempt, AdaptiveState]:
        """The attempt as PostgreSQL has it and the state its responses lead to (cached)."""
        durable = await self._loader.durable(attempt.id)
        engine = await self.engine_for(durable, exam)
        state = replay_responses(engine, durable.id, durable.responses)
        await self.keep(durable, state)
        return durable, state

    async def keep(self, attempt: LiveAttempt, state: AdaptiveState) -> None:
        """Cache `state` as the attempt's at `attempt.version`."""
        if attempt.is_final:
            self._recorded_here.pop(attempt.id)
        else:
            self._remember(attempt.id, state)
        await self._store.put(attempt, state)

    async def forget(self, attempt: LiveAttempt) -> None:
        self._recorded_here.pop(attempt.id)
        await self._store.forget(attempt.id)

    def _remember(self, attempt_id: UUID, state: AdaptiveState) -> None:
        known = self._recorded_here.get(attempt_id)
        # Responses only accumulate: a replay that raced a newer response must not win.
        if known is not None and known.items_administered > state.items_administered:
            state = known
        self._recorded_here.put(attempt_id, state)  # the least recently used goes first

    def _fits(self, state: AdaptiveState, attempt: LiveAttempt, exam: Exam) -> bool:
        size = self._engines.engine_for(exam).bank.size
        return state.attempt_seed == attempt_seed(attempt.id) and all(
            index < size for index in state.administered
        )
