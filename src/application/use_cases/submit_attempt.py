from __future__ import annotations

from application.attempt_loader import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.permissions import ensure_owner
from application.ports import Clock
from application.use_cases.read_attempt import AttemptQuery
from domain.errors import TimeIsUp
from domain.result import AttemptResult, AttemptStatus


class SubmitAttempt:
    """The candidate finishes. A repeat returns the same result; past deadline + grace the
    attempt is expired instead and TimeIsUp carries its final result."""

    def __init__(self, loader: AttemptLoader, finaliser: AttemptFinaliser, clock: Clock) -> None:
        self._loader = loader
        self._finaliser = finaliser
        self._clock = clock

    async def __call__(self, query: AttemptQuery) -> AttemptResult:
        attempt = await self._loader.live(query.attempt_id)
        ensure_owner(attempt, query.actor)
        attempt = await self._finaliser.submit(attempt.id, self._clock.now())
        assert attempt.result is not None  # submit always leaves the attempt final
        if attempt.status is AttemptStatus.EXPIRED:
            raise TimeIsUp("the attempt expired before it was submitted", result=attempt.result)
        return attempt.result
