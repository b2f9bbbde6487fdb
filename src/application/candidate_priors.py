"""Where each adaptive attempt's ability estimate starts (`adaptive.prior`)."""

from __future__ import annotations

from uuid import UUID

from application.bounded_cache import BoundedCache
from application.ports.proficiencies import Proficiencies
from domain.adaptive.quadrature import NormalPrior
from domain.adaptive_options import AbilityPrior
from domain.attempt import LiveAttempt
from domain.exam import Exam

# Priors of attempts in progress, so a response costs no read; ~200 bytes each.
_CAPACITY = 50_000


class CandidatePriors:
    """The prior of an attempt: None (the engine's N(0, 1)) for `prior: standard`, else
    the candidate's latest proficiency on the exam that ended before the attempt started.

    Fixed by the attempt's start, so every replay of its responses, on any process and at
    finalisation, starts from the same prior; a later attempt of the candidate's cannot
    move it. App-scoped; the lookup is cached per attempt.
    """

    def __init__(self, proficiencies: Proficiencies) -> None:
        self._proficiencies = proficiencies
        self._known: BoundedCache[UUID, tuple[NormalPrior | None]] = BoundedCache(_CAPACITY)

    async def prior_for(self, exam: Exam, attempt: LiveAttempt) -> NormalPrior | None:
        rules = exam.adaptive
        if rules is None or rules.prior is AbilityPrior.STANDARD:
            return None
        known = self._known.get(attempt.id)
        if known is not None:
            return known[0]
        estimate = await self._proficiencies.latest_before(
            attempt.candidate_id, exam.id, before=attempt.timer.started_at, excluding=attempt.id
        )
        prior = None if estimate is None else estimate.as_prior()
        self._known.put(attempt.id, (prior,))
        return prior
