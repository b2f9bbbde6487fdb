"""Classification tests: Wald's SPRT against the closed-form likelihood ratio."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, EngineSettings, InvalidSettingsError, StopReason
from domain.adaptive.classification import Classification, SequentialClassifier, SprtRule

RULE = SprtRule(cut=0.0, indifference=0.3, alpha=0.05, beta=0.05)


def _p(theta: float, a: float, b: float, c: float, d: float) -> float:
    return c + (d - c) / (1.0 + math.exp(-a * (theta - b)))


def _closed_form(bank, items, responses, rule: SprtRule) -> float:  # type: ignore[no-untyped-def]
    """log prod_i P_i(t1)^x (1 - P_i(t1))^(1 - x) / P_i(t0)^x (1 - P_i(t0))^(1 - x)."""
    high, low = rule.cut + rule.indifference, rule.cut - rule.indifference
    ratio = 1.0
    for item, right in zip(items, responses, strict=True):
        a, b, c, d = (float(v[item]) for v in (bank.a, bank.b, bank.c, bank.d))
        p1, p0 = _p(high, a, b, c, d), _p(low, a, b, c, d)
        ratio *= p1 / p0 if right else (1 - p1) / (1 - p0)
    return math.log(ratio)


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(
        st.tuples(st.integers(0, 199), st.booleans()), max_size=40, unique_by=lambda x: x[0]
    ),
    cut=st.floats(-2, 2),
    indifference=st.floats(0.05, 1.0),
)
def test_the_log_ratio_is_the_closed_form_one(
    data: list[tuple[int, bool]], cut: float, indifference: float
) -> None:
    bank = generate_bank(200, seed=2)
    rule = SprtRule(cut=cut, indifference=indifference)
    items, responses = [i for i, _ in data], [r for _, r in data]

    got = SequentialClassifier(bank, rule).log_ratio(items, responses)

    assert got == pytest.approx(_closed_form(bank, items, responses, rule), abs=1e-9)


def test_wald_bounds_decide_pass_fail_and_undecided() -> None:
    bank = generate_bank(200, seed=2)
    classifier = SequentialClassifier(bank, RULE)
    assert RULE.upper_bound == pytest.approx(math.log(0.95 / 0.05))
    assert RULE.lower_bound == pytest.approx(math.log(0.05 / 0.95))
    items = list(np.argsort(-bank.a)[:60])

    assert classifier.decision(items, [True] * 60) is Classification.PASS
    assert classifier.decision(items, [False] * 60) is Classification.FAIL
    assert classifier.decision(items[:1], [True]) is Classification.UNDECIDED


def _classifying_engine(max_items: int = 60, min_items: int = 5) -> AdaptiveEngine:
    settings = EngineSettings(
        max_items=max_items, min_items=min_items, se_target=0.3, classification=RULE
    )
    return AdaptiveEngine(generate_bank(300, seed=9), settings)


def test_the_test_stops_when_the_ratio_crosses_a_bound_and_not_on_se() -> None:
    engine = _classifying_engine()
    state = engine.start(1)
    while (item := engine.next_item(state)) is not None:
        state = engine.record(state, item, True)

    assert state.stop_reason is StopReason.CLASSIFIED
    assert engine.classification(state) is Classification.PASS
    ratio = SequentialClassifier(engine.bank, RULE).log_ratio(state.administered, state.responses)
    before = SequentialClassifier(engine.bank, RULE).log_ratio(
        state.administered[:-1], state.responses[:-1]
    )
    assert ratio >= RULE.upper_bound
    assert before < RULE.upper_bound or len(state.administered) == 5


def test_a_test_that_runs_out_of_items_is_undecided() -> None:
    engine = _classifying_engine(max_items=6)
    state = engine.start(2)
    answers = iter([True, False] * 10)
    while (item := engine.next_item(state)) is not None:
        state = engine.record(state, item, next(answers))

    assert state.stop_reason is StopReason.MAX_ITEMS
    assert engine.classification(state) is Classification.UNDECIDED


def test_an_engine_without_classification_says_none() -> None:
    engine = AdaptiveEngine(generate_bank(50, seed=1), EngineSettings(max_items=5))

    assert engine.classification(engine.start()) is None


@pytest.mark.parametrize(
    "fields",
    [{"indifference": 0.0}, {"alpha": 0.0}, {"beta": 0.5}, {"cut": math.inf}],
)
def test_a_rule_refuses_impossible_values(fields: dict[str, float]) -> None:
    with pytest.raises(InvalidSettingsError):
        SprtRule(**{"cut": 0.0, "indifference": 0.3, **fields})
