import dataclasses

import numpy as np
import pytest

from adaptive_simulation import generate_bank
from domain.adaptive import (
    AdaptiveEngine,
    AdaptiveState,
    EngineSettings,
    InvalidItemBankError,
    InvalidSettingsError,
    InvalidStateError,
    ItemAlreadyAdministeredError,
    ItemBank,
    ItemOutOfRangeError,
    StopReason,
    UnknownItemError,
)

SETTINGS = EngineSettings(
    max_items=50,
    exposure_k=3,
    seed=99,
    content_targets={"algebra": 0.5, "geometry": 0.5},
    sympson_hetter=tuple(np.linspace(0.5, 1.0, 400).tolist()),
)


@pytest.fixture(scope="module")
def engine() -> AdaptiveEngine:
    return AdaptiveEngine(
        generate_bank(400, seed=8, content_areas=["algebra", "geometry"]), SETTINGS
    )


def _administer(engine: AdaptiveEngine, items: int, attempt_seed: int = 12345) -> AdaptiveState:
    answers = np.random.default_rng(attempt_seed)
    state = engine.start(attempt_seed)
    for _ in range(items):
        item = engine.next_item(state)
        assert item is not None
        state = engine.record(state, item, bool(answers.random() < 0.6))
    return state


def _history(engine: AdaptiveEngine, state: AdaptiveState) -> list[tuple[str, bool]]:
    return [
        (engine.bank.item_ids[i], correct)
        for i, correct in zip(state.administered, state.responses, strict=True)
    ]


def test_replay_rebuilds_the_identical_state_and_next_item(engine: AdaptiveEngine) -> None:
    original = _administer(engine, 23)

    # A fresh engine, as another process would build it from the same bank and settings.
    fresh = AdaptiveEngine(engine.bank, SETTINGS)
    rebuilt = fresh.replay(_history(engine, original), attempt_seed=12345)

    assert rebuilt == original
    assert rebuilt.theta == original.theta
    assert rebuilt.se == original.se
    assert fresh.next_item(rebuilt) == engine.next_item(original)


def test_recording_an_item_twice_or_outside_the_bank_is_rejected(engine: AdaptiveEngine) -> None:
    state = engine.record(engine.start(), 5, correct=True)

    with pytest.raises(ItemAlreadyAdministeredError):
        engine.record(state, 5, correct=False)
    with pytest.raises(ItemOutOfRangeError):
        engine.record(state, 400, correct=False)
    with pytest.raises(ItemOutOfRangeError):
        engine.record(state, -1, correct=False)


def test_replay_rejects_unknown_item_ids(engine: AdaptiveEngine) -> None:
    with pytest.raises(UnknownItemError):
        engine.replay([("no-such-item", True)])


def test_the_se_target_stops_only_after_the_minimum_length() -> None:
    engine = AdaptiveEngine(
        generate_bank(300, seed=2), EngineSettings(max_items=40, min_items=12, se_target=0.45)
    )

    state = _administer(engine, 1)
    while state.stop_reason is None:
        item = engine.next_item(state)
        assert item is not None
        state = engine.record(state, item, correct=state.items_administered % 2 == 0)

    assert state.stop_reason is StopReason.SE_TARGET
    assert state.items_administered >= 12
    assert state.se <= 0.45
    assert engine.next_item(state) is None


@pytest.mark.parametrize(
    "changes",
    [
        {"min_items": 0},
        {"min_items": 10, "max_items": 5},
        {"se_target": 0.0},
        {"exposure_k": 0},
        {"estimator": "map"},
        {"content_targets": {"algebra": 0.5}},
        {"sympson_hetter": (1.2,)},
        {"seed": -1},
    ],
)
def test_inconsistent_settings_are_rejected(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidSettingsError):
        dataclasses.replace(EngineSettings(), **changes)  # type: ignore[arg-type]


def test_settings_must_fit_the_bank() -> None:
    bank = generate_bank(10, seed=1, content_areas=["algebra"])

    with pytest.raises(InvalidSettingsError):
        AdaptiveEngine(bank, EngineSettings(sympson_hetter=(1.0,) * 9))
    with pytest.raises(InvalidSettingsError):
        AdaptiveEngine(bank, EngineSettings(content_targets={"geometry": 1.0}))


@pytest.mark.parametrize(
    "changes",
    [
        {"a": [1.0, 0.0]},
        {"c": [0.3, 0.0], "d": [0.3, 1.0]},
        {"d": [1.0, 1.1]},
        {"b": [0.0]},
        {"item_ids": ["x", "x"]},
        {"b": [0.0, float("nan")]},
        {"content_areas": ["algebra"]},
    ],
)
def test_invalid_item_parameters_are_rejected(changes: dict[str, object]) -> None:
    parameters: dict[str, object] = {"item_ids": ["x", "y"], "a": [1.0, 1.2], "b": [0.0, 0.5]}

    with pytest.raises(InvalidItemBankError):
        ItemBank.from_parameters(**{**parameters, **changes})  # type: ignore[arg-type]


def test_bank_parameters_cannot_be_mutated() -> None:
    bank = generate_bank(5, seed=1)

    with pytest.raises(ValueError, match="read-only"):
        bank.a[0] = 3.0


@pytest.mark.parametrize(
    "fields",
    [
        {"administered": (1, 2), "responses": (True,)},
        {"administered": (1, 1), "responses": (True, False)},
        {"theta": float("nan")},
        {"se": -0.1},
        {"attempt_seed": 2**64},
    ],
)
def test_an_inconsistent_state_is_rejected(fields: dict[str, object]) -> None:
    with pytest.raises(InvalidStateError):
        AdaptiveState(**{"theta": 0.0, "se": 1.0, **fields})  # type: ignore[arg-type]
