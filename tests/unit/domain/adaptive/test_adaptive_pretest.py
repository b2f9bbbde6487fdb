"""Pretest items: given at seeded positions, stored with the responses, never in theta."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.unit.domain.adaptive.test_adaptive_exam_options import _exam

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, AdaptiveState, EngineSettings, InvalidSettingsError
from domain.adaptive.pretest import PretestPlan
from domain.adaptive_pretest_classification import PretestRule
from domain.errors import InvalidExamDefinition
from domain.exam import AdaptiveRules
from domain.result_sheet import question_points

PRETEST = tuple(range(100, 120))


def _engine(*, estimator: str = "eap", pretest: tuple[int, ...] = PRETEST) -> AdaptiveEngine:
    settings = EngineSettings(
        max_items=15,
        min_items=8,
        se_target=0.35,
        exposure_k=2,
        seed=5,
        estimator=estimator,  # type: ignore[arg-type]
        pretest=PretestPlan(items=pretest, count=3 if pretest else 0),
    )
    return AdaptiveEngine(generate_bank(120, seed=3), settings)


def _run(engine: AdaptiveEngine, seed: int, answers: np.random.Generator) -> AdaptiveState:
    state = engine.start(seed)
    item = engine.next_item(state)
    while item is not None:
        state = engine.record(state, item, bool(answers.random() < 0.5))
        item = engine.next_item(state)
    return state


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**64 - 1), answer_seed=st.integers(0, 2**32))
def test_pretest_items_never_move_theta(seed: int, answer_seed: int) -> None:
    engine = _engine(estimator="mle")
    state = _run(engine, seed, np.random.default_rng(answer_seed))
    given_pretest = [i for i in state.administered if i in PRETEST]

    # Every drawn pretest item was given, at a position before the test could stop.
    assert len(given_pretest) == 3
    assert engine.scored_items(state) == tuple(i for i in state.administered if i not in PRETEST)
    # The estimate is the one of the operational responses alone, whatever the pretest
    # answers were: flip them all and nothing changes.
    flipped = tuple(
        (not r) if i in PRETEST else r
        for i, r in zip(state.administered, state.responses, strict=True)
    )
    again = engine.start(seed)
    for item, right in zip(state.administered, flipped, strict=True):
        again = engine.record(again, item, right)
    assert (again.theta, again.se, again.stop_reason) == (state.theta, state.se, state.stop_reason)
    without = _engine(estimator="mle", pretest=())
    operational = without.start(seed)
    for item, right in zip(state.administered, state.responses, strict=True):
        if item not in PRETEST:
            operational = without.record(operational, item, right)
    assert (operational.theta, operational.se) == pytest.approx((state.theta, state.se))


def test_pretest_positions_are_stable_per_attempt_and_differ_between_attempts() -> None:
    engine = _engine()
    first = _run(engine, 11, np.random.default_rng(0))
    again = _run(engine, 11, np.random.default_rng(0))
    others = {
        tuple(i for i in _run(engine, seed, np.random.default_rng(0)).administered if i >= 100)
        for seed in range(12, 30)
    }

    assert first.administered == again.administered
    assert len(others) > 10


def test_a_rebuilt_state_leaves_pretest_items_out_of_the_posterior() -> None:
    engine = _engine()
    state = _run(engine, 3, np.random.default_rng(4))
    replayed = engine.replay(
        (
            (engine.bank.item_ids[i], r)
            for i, r in zip(state.administered, state.responses, strict=True)
        ),
        attempt_seed=3,
    )
    bare = AdaptiveState(
        administered=state.administered[:-1],
        responses=state.responses[:-1],
        theta=0.0,
        se=1.0,
        attempt_seed=3,
    )
    last = state.administered[-1]

    assert replayed == state
    assert engine.record(bare, last, state.responses[-1]).theta == pytest.approx(state.theta)


def test_information_never_selects_a_pretest_item_outside_its_slot() -> None:
    engine = _engine()
    for seed in range(20):
        state = _run(engine, seed, np.random.default_rng(seed))
        slots = engine.settings.pretest.slots(exam_seed=5, attempt_seed=seed, min_items=8)
        positions = {p for p, i in enumerate(state.administered) if i in PRETEST}
        assert positions == set(slots)
        assert all(p < 8 + 3 - 1 for p in positions)


def test_a_plan_refuses_a_count_above_its_items() -> None:
    with pytest.raises(InvalidSettingsError):
        PretestPlan(items=(1, 2), count=3)


def test_an_exam_never_scores_its_pretest_items() -> None:
    rules = AdaptiveRules(max_items=5, pretest=PretestRule(item_ids=("q1", "q2"), count=1))
    exam = _exam(rules, size=10)
    answers = {"q0": "A", "q1": "A", "q3": "B"}

    score = exam.score(answers)
    points = question_points(exam, answers)

    assert (score.score, score.max_score, score.answered, score.correct) == (1.0, 2.0, 2, 1)
    assert points[:4] == [1.0, None, None, 0.0]


def test_an_exam_refuses_pretest_items_it_lacks_or_a_max_beyond_the_rest() -> None:
    with pytest.raises(InvalidExamDefinition):
        _exam(AdaptiveRules(max_items=5, pretest=PretestRule(item_ids=("x",), count=1)), size=10)
    with pytest.raises(InvalidExamDefinition):
        _exam(
            AdaptiveRules(max_items=9, pretest=PretestRule(item_ids=("q1", "q2"), count=1)), size=10
        )
