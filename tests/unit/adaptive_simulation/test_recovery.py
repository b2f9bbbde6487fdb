import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adaptive_simulation import (
    calibrate_sympson_hetter,
    draw_examinees,
    generate_bank,
    simulate,
    summarize,
)
from domain.adaptive import AdaptiveEngine, EngineSettings, ItemBank, StopReason, probability


@pytest.fixture(scope="module")
def bank() -> ItemBank:
    return generate_bank(500, seed=2024)


def test_fixed_length_eap_recovers_ability(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(max_items=30))

    metrics = summarize(simulate(engine, draw_examinees(500, bank.size, seed=7)))

    print(f"fixed 30 items: RMSE {metrics.rmse:.3f}, bias {metrics.bias:+.3f}")
    assert metrics.rmse < 0.33
    assert abs(metrics.bias) < 0.05
    assert metrics.mean_length == 30
    assert len(metrics.rmse_by_length) == 30
    assert metrics.rmse_by_length[-1] == pytest.approx(metrics.rmse)
    assert metrics.rmse_by_length[29] < metrics.rmse_by_length[4] < metrics.rmse_by_length[0]


def test_se_target_shortens_the_test_and_still_recovers_ability(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(max_items=40, min_items=5, se_target=0.3))

    result = simulate(engine, draw_examinees(500, bank.size, seed=7))
    metrics = summarize(result)

    print(f"SE < 0.3: RMSE {metrics.rmse:.3f}, mean length {metrics.mean_length:.1f}")
    assert 8 <= metrics.mean_length <= 40
    assert metrics.rmse < 0.40
    stopped_on_precision = [r is StopReason.SE_TARGET for r in result.stop_reasons]
    assert np.all(result.se[stopped_on_precision] <= 0.3)


def test_mle_engine_recovers_ability(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(max_items=30, estimator="mle"))

    metrics = summarize(simulate(engine, draw_examinees(200, bank.size, seed=7)))

    assert metrics.rmse < 0.40
    assert abs(metrics.bias) < 0.08


def test_metrics_break_down_by_theta_band(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(max_items=10))
    examinees = draw_examinees(200, bank.size, seed=3)

    metrics = summarize(simulate(engine, examinees))

    assert [(band.lower, band.upper) for band in metrics.rmse_by_band] == [
        (-3, -2), (-2, -1), (-1, 0), (0, 1), (1, 2), (2, 3)
    ]  # fmt: skip
    assert sum(band.count for band in metrics.rmse_by_band) == np.sum(
        np.abs(examinees.true_theta) < 3
    )
    assert metrics.mean_exposure == pytest.approx(10 / bank.size)
    assert 0 < metrics.max_exposure <= 1


@settings(max_examples=5, deadline=None)
@given(bank_seed=st.integers(0, 2**32 - 1), population_seed=st.integers(0, 2**32 - 1))
def test_standard_error_shrinks_in_expectation(bank_seed: int, population_seed: int) -> None:
    bank = generate_bank(200, seed=bank_seed)
    engine = AdaptiveEngine(bank, EngineSettings(max_items=20))
    examinees = draw_examinees(40, bank.size, seed=population_seed)
    se_after = np.zeros((40, 20))

    for i in range(40):
        correct = examinees.uniforms[i] < probability(
            examinees.true_theta[i], bank.a, bank.b, bank.c, bank.d
        )
        state = engine.start(i)
        for k in range(20):
            item = engine.next_item(state)
            assert item is not None
            state = engine.record(state, item, bool(correct[item]))
            se_after[i, k] = state.se

    assert np.all(np.isfinite(se_after))
    assert se_after[:, 19].mean() < se_after[:, 4].mean()


def test_sympson_hetter_calibration_caps_exposure() -> None:
    bank = generate_bank(300, seed=4)
    engine = AdaptiveEngine(bank, EngineSettings(max_items=15))
    uncontrolled = summarize(simulate(engine, draw_examinees(300, bank.size, seed=1)))

    parameters = calibrate_sympson_hetter(
        engine, draw_examinees(300, bank.size, seed=2), max_exposure=0.25, rounds=6
    )
    controlled_engine = engine.with_settings(
        EngineSettings(max_items=15, sympson_hetter=parameters)
    )
    controlled = summarize(simulate(controlled_engine, draw_examinees(300, bank.size, seed=1)))

    assert uncontrolled.max_exposure > 0.9
    assert controlled.max_exposure < 0.35
    assert math.isfinite(controlled.rmse)
    assert controlled.rmse < uncontrolled.rmse * 1.15
