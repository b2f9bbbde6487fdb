"""Every way an adaptive attempt becomes final gives its result theta and se."""

from __future__ import annotations

import pytest

from domain.attempt import Attempt
from domain.errors import TimeIsUp
from domain.exam import Exam
from domain.result import AttemptStatus
from tests.fakes.adaptive import AdaptiveServices
from tests.fakes.builders import Services, query
from tests.unit.application.adaptive import DEADLINE, GRACE, MIN, answer_items, replayed_ability


async def test_submitting_early_estimates_from_the_responses_so_far(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AB")
    services.clock.advance(5 * MIN)
    result = await services.submit_attempt(query(adaptive_attempt))
    ability = await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert (result.status, result.theta, result.se) == (
        AttemptStatus.SUBMITTED,
        ability.theta,
        ability.se,
    )
    assert (result.answered, result.correct, result.max_score) == (2, 1, 2)


async def test_an_attempt_with_no_response_reports_the_prior(
    services: Services, adaptive_attempt: Attempt
) -> None:
    result = await services.submit_attempt(query(adaptive_attempt))
    assert result.theta == pytest.approx(0.0, abs=1e-9)
    assert result.se == pytest.approx(1.0, abs=0.01)
    assert (result.answered, result.max_score) == (0, 0)


async def test_the_sweeper_expires_adaptive_attempts_with_their_ability(
    services: Services, cat: AdaptiveServices, adaptive_exam: Exam, adaptive_attempt: Attempt
) -> None:
    await answer_items(cat, adaptive_attempt, "AAB")
    services.clock.set(DEADLINE + GRACE)
    report = await services.sweep()
    assert report.expired == (adaptive_attempt.id,)
    stored = await services.stored(adaptive_attempt.id)
    assert stored.status is AttemptStatus.EXPIRED
    assert stored.result is not None
    ability = await replayed_ability(services, adaptive_exam, adaptive_attempt)
    assert (stored.result.theta, stored.result.se) == (ability.theta, ability.se)
    with pytest.raises(TimeIsUp) as raised:
        await cat.next(adaptive_attempt)
    assert raised.value.result == stored.result


async def test_fixed_results_have_no_ability(services: Services, attempt: Attempt) -> None:
    result = await services.submit_attempt(query(attempt))
    assert (result.theta, result.se) == (None, None)
