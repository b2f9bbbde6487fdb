"""The stored bytes of an engine state: exact round trips, 135 bytes for 50 items."""

import numpy as np
import pytest

from adaptive_simulation import generate_bank
from domain.adaptive import AdaptiveEngine, AdaptiveState, EngineSettings, StopReason
from infrastructure.redis.adaptive_codec import CorruptAdaptiveState, decode_state, encode_state


@pytest.fixture(scope="module")
def engine() -> AdaptiveEngine:
    settings = EngineSettings(max_items=50, exposure_k=3, seed=99)
    return AdaptiveEngine(generate_bank(400, seed=8), settings)


def _administer(engine: AdaptiveEngine, items: int) -> AdaptiveState:
    answers = np.random.default_rng(12345)
    state = engine.start(12345)
    for _ in range(items):
        item = engine.next_item(state)
        assert item is not None
        state = engine.record(state, item, bool(answers.random() < 0.6))
    return state


def test_a_decoded_state_continues_exactly_like_the_original(engine: AdaptiveEngine) -> None:
    original = _administer(engine, 10)
    decoded = decode_state(encode_state(original))
    item = engine.next_item(original)
    assert item is not None

    assert decoded == original
    assert decoded.log_posterior is None
    assert engine.next_item(decoded) == item
    after_original = engine.record(original, item, correct=True)
    after_decoded = engine.record(decoded, item, correct=True)
    assert after_decoded == after_original
    assert np.array_equal(after_decoded.log_posterior, after_original.log_posterior)  # type: ignore[arg-type]


def test_encoding_a_fifty_item_test_takes_135_bytes(engine: AdaptiveEngine) -> None:
    state = _administer(engine, 50)

    data = encode_state(state)

    assert state.stop_reason is StopReason.MAX_ITEMS
    assert len(data) == 135
    assert decode_state(data) == state


def test_encoding_round_trips_wide_indices_and_empty_states() -> None:
    wide = AdaptiveState(
        administered=(70_000, 3),
        responses=(True, False),
        theta=-0.25,
        se=0.5,
        attempt_seed=2**64 - 1,
    )
    empty = AdaptiveState(theta=0.0, se=1.0)

    assert decode_state(encode_state(wide)) == wide
    assert decode_state(encode_state(empty)) == empty


@pytest.mark.parametrize("data", [b"", b"\x02" + bytes(27), bytes(30)])
def test_corrupt_bytes_are_rejected(data: bytes) -> None:
    with pytest.raises(CorruptAdaptiveState):
        decode_state(data)


def test_well_formed_bytes_of_an_impossible_state_are_rejected() -> None:
    data = bytearray(
        encode_state(AdaptiveState(administered=(4, 5), responses=(True, True), theta=0.0, se=1.0))
    )
    data[28:32] = (4).to_bytes(2, "little") * 2  # the same item twice

    with pytest.raises(CorruptAdaptiveState, match="twice"):
        decode_state(bytes(data))


@pytest.mark.parametrize("reason", [None, *StopReason])
def test_every_stop_reason_round_trips(reason: StopReason | None) -> None:
    state = AdaptiveState(
        administered=(3, 1), responses=(True, False), theta=0.5, se=0.4, stop_reason=reason
    )

    assert decode_state(encode_state(state)) == state
