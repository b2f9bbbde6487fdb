"""The engine's MLE, read off its likelihood grid and polished by one Newton step, is the
full search's MLE (`mle_estimate`) to within 1e-5, and its SE to the fourth digit."""

from __future__ import annotations

import numpy as np
import pytest

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, EngineSettings, mle_estimate


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_step_matches_the_full_search(seed: int) -> None:
    engine = AdaptiveEngine(
        generate_bank(300, seed=seed), EngineSettings(max_items=40, estimator="mle")
    )
    bank = engine.bank
    answers = np.random.default_rng(seed)
    state = engine.start(seed)
    compared = 0
    while (item := engine.next_item(state)) is not None:
        state = engine.record(state, item, bool(answers.random() < 0.6))
        right = np.array(state.responses)
        if 0 < right.sum() < right.size:
            items = list(state.administered)
            theta, se = mle_estimate(
                right, bank.a[items], bank.b[items], bank.c[items], bank.d[items]
            )
            assert state.theta == pytest.approx(theta, abs=1e-5)
            assert state.se == pytest.approx(se, rel=1e-3)
            compared += 1
    assert compared > 30
