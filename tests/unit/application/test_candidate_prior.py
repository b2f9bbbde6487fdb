"""`prior: candidate`: an attempt starts from the candidate's latest proficiency on the
exam, fixed at its start; N(0, 1) without one, or with `prior: standard`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from domain.adaptive.exam_engine import engine_for, replay_responses
from domain.adaptive.quadrature import NormalPrior
from domain.adaptive_options import AbilityPrior
from domain.exam import AdaptiveRules, Exam, ExamMode
from domain.proficiency import MIN_PRIOR_SD
from tests.fakes.adaptive import AdaptiveServices, wire_adaptive
from tests.fakes.adaptive_state import InMemoryAdaptiveStateStore
from tests.fakes.builders import Services, make_exam, make_questions, query
from tests.unit.application.adaptive import MIN, answer_items


def _exam(prior: AbilityPrior) -> Exam:
    return make_exam(
        mode=ExamMode.ADAPTIVE,
        questions=make_questions(12, irt=True),
        adaptive=AdaptiveRules(max_items=6, prior=prior),
        max_attempts=3,
    )


async def test_the_second_attempt_starts_where_the_first_ended(
    services: Services, cat: AdaptiveServices
) -> None:
    exam = await services.given_exam(_exam(AbilityPrior.CANDIDATE))
    first = await services.started(exam)
    assert (await services.submit_attempt(query(first))).theta == pytest.approx(0.0, abs=1e-9)
    first = await services.started(exam)
    await answer_items(cat, first, "AAAA")  # all right: theta well above 0
    services.clock.advance(MIN)
    ended = await services.submit_attempt(query(first))
    assert ended.theta is not None
    assert ended.se is not None
    assert ended.theta > 0.5

    services.clock.advance(MIN)
    second = await services.started(exam)
    unanswered = await services.submit_attempt(query(second))
    # No response yet: the estimate is the prior itself, N(theta, max(se, floor)²).
    assert unanswered.theta == pytest.approx(ended.theta, abs=0.02)
    assert unanswered.se == pytest.approx(max(ended.se, MIN_PRIOR_SD), abs=0.02)


async def test_the_first_item_is_chosen_at_the_prior(
    services: Services, cat: AdaptiveServices
) -> None:
    exam = await services.given_exam(_exam(AbilityPrior.CANDIDATE))
    standard = await services.given_exam(_exam(AbilityPrior.STANDARD))
    for given in (exam, standard):
        attempt = await services.started(given)
        await answer_items(cat, attempt, "AAAA")
        await services.submit_attempt(query(attempt))
    services.clock.advance(MIN)
    from_candidate = await cat.current_item(await services.started(exam))
    from_standard = await cat.current_item(await services.started(standard))
    # Standard: the most informative item at theta 0, as for the first attempt; candidate:
    # the most informative at the high theta the first attempt ended with.
    assert from_candidate != from_standard


async def test_responses_after_a_restart_replay_from_the_same_prior(
    services: Services, cat: AdaptiveServices
) -> None:
    """A process without the cached state rebuilds it from the responses and the prior."""
    exam = await services.given_exam(_exam(AbilityPrior.CANDIDATE))
    attempt = await services.started(exam)
    await answer_items(cat, attempt, "AAAA")
    await services.submit_attempt(query(attempt))
    services.clock.advance(MIN)
    second = await services.started(exam)
    await answer_items(cat, second, "AB")
    other = wire_adaptive(services.other_session(), InMemoryAdaptiveStateStore())
    assert await other.current_item(second) == await cat.current_item(second)
    services.clock.advance(MIN)
    here = await services.submit_attempt(query(second))
    stored = await services.stored(second.id)
    first_result = (await services.stored(attempt.id)).result
    assert first_result is not None
    assert first_result.theta is not None
    assert first_result.se is not None
    prior = NormalPrior(mean=first_result.theta, sd=max(first_result.se, MIN_PRIOR_SD))
    base = engine_for(exam)
    with_prior = base.with_settings(replace(base.settings, prior=prior))
    expected = replay_responses(with_prior, second.id, stored.responses)
    standard = replay_responses(base, second.id, stored.responses)
    assert (here.theta, here.se) == (expected.theta, expected.se)
    assert here.theta != standard.theta


def test_rules_default_to_the_standard_prior() -> None:
    rules = AdaptiveRules(max_items=3)
    assert rules.prior is AbilityPrior.STANDARD
    assert replace(rules, prior=AbilityPrior.CANDIDATE).prior is AbilityPrior.CANDIDATE
