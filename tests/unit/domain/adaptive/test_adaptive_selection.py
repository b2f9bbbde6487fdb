from collections import Counter

import numpy as np
import pytest

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, AdaptiveState, EngineSettings, ItemBank, information
from domain.adaptive.ranking import RANKING_STEP


@pytest.fixture(scope="module")
def bank() -> ItemBank:
    return generate_bank(300, seed=5, content_areas=["algebra", "geometry", "number", "stats"])


def _run(engine: AdaptiveEngine, attempt_seed: int, answer_seed: int) -> AdaptiveState:
    answers = np.random.default_rng(answer_seed)
    state = engine.start(attempt_seed)
    while (item := engine.next_item(state)) is not None:
        state = engine.record(state, item, bool(answers.random() < 0.5))
    return state


def _ranked_by_information(bank: ItemBank, theta: float) -> list[int]:
    snapped = round(theta / RANKING_STEP) * RANKING_STEP
    info = information(snapped, bank.a, bank.b, bank.c, bank.d)
    return [int(i) for i in np.argsort(-info, kind="stable")]


def test_first_item_is_the_most_informative_at_the_prior_mean(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings())

    assert engine.next_item(engine.start()) == _ranked_by_information(bank, 0.0)[0]


@pytest.mark.parametrize("exposure_k", [1, 4])
def test_selection_never_repeats_an_item(bank: ItemBank, exposure_k: int) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(max_items=80, exposure_k=exposure_k))

    for seed in range(5):
        state = _run(engine, seed, seed)
        assert len(set(state.administered)) == len(state.administered) == 80


def test_a_small_bank_runs_until_exhausted() -> None:
    small = generate_bank(7, seed=1)
    engine = AdaptiveEngine(small, EngineSettings(max_items=20))

    state = _run(engine, 0, 0)

    assert sorted(state.administered) == list(range(7))
    assert state.stop_reason is not None
    assert state.stop_reason.value == "bank_exhausted"


def test_randomesque_picks_uniformly_among_the_top_k(bank: ItemBank) -> None:
    engine = AdaptiveEngine(bank, EngineSettings(exposure_k=5))
    state = engine.record(engine.start(), 17, correct=True)
    top = _ranked_by_information(bank, state.theta)
    top_five = {i for i in top if i != 17}
    top_five = {i for i in top[:6] if i != 17} if 17 in top[:6] else set(top[:5])

    picks = Counter(
        engine.next_item(AdaptiveState(**{**_fields(state), "attempt_seed": seed}))
        for seed in range(500)
    )

    assert set(picks) == top_five
    assert min(picks.values()) > 60


def _fields(state: AdaptiveState) -> dict[str, object]:
    return {
        "administered": state.administered,
        "responses": state.responses,
        "theta": state.theta,
        "se": state.se,
    }


def test_sympson_hetter_never_gives_an_item_with_zero_probability(bank: ItemBank) -> None:
    top = _ranked_by_information(bank, 0.0)[0]
    parameters = [1.0] * bank.size
    parameters[top] = 0.0
    engine = AdaptiveEngine(bank, EngineSettings(max_items=25, sympson_hetter=tuple(parameters)))

    for seed in range(40):
        assert top not in _run(engine, seed, seed).administered


def test_sympson_hetter_passes_over_items_with_the_complementary_rate(bank: ItemBank) -> None:
    top, second = _ranked_by_information(bank, 0.0)[:2]
    parameters = [1.0] * bank.size
    parameters[top] = 0.3
    engine = AdaptiveEngine(bank, EngineSettings(sympson_hetter=tuple(parameters)))

    firsts = Counter(engine.next_item(engine.start(seed)) for seed in range(1000))

    assert set(firsts) == {top, second}
    assert firsts[top] / 1000 == pytest.approx(0.3, abs=0.05)


def test_content_balancing_hits_the_target_shares(bank: ItemBank) -> None:
    targets = {"algebra": 0.4, "geometry": 0.3, "number": 0.2, "stats": 0.1}
    engine = AdaptiveEngine(bank, EngineSettings(max_items=20, content_targets=targets))
    assert bank.content_areas is not None

    for seed in range(10):
        state = _run(engine, seed, seed)
        counts = Counter(bank.content_areas[i] for i in state.administered)
        assert counts == {"algebra": 8, "geometry": 6, "number": 4, "stats": 2}


def test_content_balancing_keeps_running_shares_close(bank: ItemBank) -> None:
    targets = {"algebra": 0.5, "geometry": 0.25, "stats": 0.25}
    engine = AdaptiveEngine(bank, EngineSettings(max_items=30, content_targets=targets))
    assert bank.content_areas is not None

    state = _run(engine, 3, 3)

    for length in range(1, 31):
        counts = Counter(bank.content_areas[i] for i in state.administered[:length])
        for area, share in targets.items():
            assert abs(counts[area] - share * length) <= 1
        assert counts["number"] == 0
