"""A per-process cache of adaptive engines: exams never change, and building one is costly."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from application.bounded_cache import BoundedCache
from application.ports import AdaptiveScoring
from domain.adaptive import AdaptiveEngine
from domain.adaptive.exam_engine import ability_of, engine_for, replay_responses
from domain.adaptive.quadrature import NormalPrior
from domain.attempt import Attempt
from domain.exam import Exam, ExamMode
from domain.result import AbilityEstimate

# An engine holds about 2.6 kB per bank item: some 48 engines of 2,000 items.
DEFAULT_MAX_BYTES = 256 * 2**20
# Distinct (exam, candidate prior) pairs kept: the settings and a prior grid each.
_PRIOR_ENGINES = 4096


def _engine_bytes(engine: AdaptiveEngine) -> int:
    return engine.nbytes


class AdaptiveEngines:
    """Engines by exam id, the least recently used dropped past `max_bytes` of arrays.

    App-scoped. Building the lookup tables of a 5,000-item bank takes about 0.15 s, once
    per exam and process instead of once per request; an engine larger than the whole
    budget is built again on every use.
    """

    def __init__(self, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self._engines: BoundedCache[UUID, AdaptiveEngine] = BoundedCache(
            max_bytes, size_of=_engine_bytes
        )
        # Engines with a candidate's prior share their exam engine's tables: counted apart.
        self._with_priors: BoundedCache[tuple[UUID, NormalPrior], AdaptiveEngine] = BoundedCache(
            _PRIOR_ENGINES
        )

    def engine_for(self, exam: Exam, prior: NormalPrior | None = None) -> AdaptiveEngine:
        """The exam's engine, starting from `prior` when given (`prior: candidate`);
        WrongExamMode for a fixed-form exam."""
        engine = self._engines.get(exam.id)
        if engine is None:
            engine = engine_for(exam)
            self._engines.put(exam.id, engine)
        if prior is None or prior == engine.settings.prior:
            return engine
        with_prior = self._with_priors.get((exam.id, prior))
        if with_prior is None:
            with_prior = engine.with_settings(replace(engine.settings, prior=prior))
            self._with_priors.put((exam.id, prior), with_prior)
        return with_prior

    def ability(
        self, exam: Exam, attempt: Attempt, prior: NormalPrior | None = None
    ) -> AbilityEstimate | None:
        """Theta and se after the attempt's responses (read from PostgreSQL); None if fixed."""
        if exam.mode is not ExamMode.ADAPTIVE:
            return None
        engine = self.engine_for(exam, prior)
        return ability_of(replay_responses(engine, attempt.id, attempt.responses), engine)

    def __len__(self) -> int:
        return len(self._engines)


_: type[AdaptiveScoring] = AdaptiveEngines
