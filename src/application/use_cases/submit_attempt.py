from __future__ import annotations

from application.finalisation import AttemptFinaliser
from application.ports import Clock
from application.use_cases.read_attempt import AttemptQuery
from domain.errors import TimeIsUp
from domain.result import AttemptResult, AttemptStatus


class SubmitAttempt:
    """The candidate finishes. A repeat returns the same result; past deadline + grace the
    attempt is expired instead and TimeIsUp carries its final result.

    The owner is checked on the attempt as the submit reads it from PostgreSQL, not on a
    hot-state copy first: at the deadline every candidate submits, and that read is one
    round trip fewer."""

    def __init__(self, finaliser: AttemptFinaliser, clock: Clock) -> None:
        self._finaliser = finaliser
        self._clock = clock

    async def __call__(self, query: AttemptQuery) -> AttemptResult:
        attempt = await self._finaliser.submit(
            query.attempt_id, self._clock.now(), owner=query.actor
        )
        assert attempt.result is not None  # submit always leaves the attempt final
        if attempt.status is AttemptStatus.EXPIRED:
            raise TimeIsUp("the attempt expired before it was submitted", result=attempt.result)
        return attempt.result
