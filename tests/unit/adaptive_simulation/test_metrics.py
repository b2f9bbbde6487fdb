import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from adaptive_simulation import paired_rmse_ratio


def test_equal_errors_give_a_ratio_of_one_without_spread() -> None:
    errors = np.random.default_rng(1).normal(size=50)

    interval = paired_rmse_ratio(errors, errors.copy())

    assert interval.ratio == pytest.approx(1.0)
    assert interval.lower == pytest.approx(1.0)
    assert interval.upper == pytest.approx(1.0)
    assert interval.change == pytest.approx(0.0)


def test_errors_scaled_by_a_constant_give_that_constant_in_every_resample() -> None:
    reference = np.random.default_rng(2).normal(size=40)

    interval = paired_rmse_ratio(0.9 * reference, reference)

    assert interval.ratio == pytest.approx(0.9)
    assert interval.lower == pytest.approx(0.9)
    assert interval.upper == pytest.approx(0.9)
    assert interval.change == pytest.approx(-0.1)


def test_the_interval_is_reproducible_and_narrows_with_more_examinees() -> None:
    rng = np.random.default_rng(3)
    reference = rng.normal(size=4000)
    errors = 0.9 * reference + rng.normal(scale=0.2, size=4000)

    few = paired_rmse_ratio(errors[:400], reference[:400], seed=7)
    again = paired_rmse_ratio(errors[:400], reference[:400], seed=7)
    many = paired_rmse_ratio(errors, reference, seed=7)

    assert few == again
    assert many.upper - many.lower < few.upper - few.lower
    assert many.lower < many.ratio < many.upper


def test_pairing_is_what_narrows_the_interval() -> None:
    rng = np.random.default_rng(4)
    shared = rng.normal(size=2000)
    errors = shared + rng.normal(scale=0.1, size=2000)
    reference = shared + rng.normal(scale=0.1, size=2000)

    paired = paired_rmse_ratio(errors, reference)
    unpaired = paired_rmse_ratio(errors, rng.permutation(reference))

    assert paired.upper - paired.lower < 0.5 * (unpaired.upper - unpaired.lower)


@pytest.mark.parametrize(
    ("errors", "reference"),
    [(np.zeros(3), np.ones(4)), (np.zeros(0), np.zeros(0)), (np.ones((2, 2)), np.ones((2, 2)))],
)
def test_the_errors_must_belong_to_the_same_examinees(
    errors: np.ndarray, reference: np.ndarray
) -> None:
    with pytest.raises(ValueError, match="same examinees"):
        paired_rmse_ratio(errors, reference)


nonzero = st.floats(0.01, 10.0).flatmap(lambda x: st.sampled_from([x, -x]))


@settings(max_examples=50, deadline=None)
@given(
    pairs=arrays(np.float64, st.tuples(st.integers(1, 30), st.just(2)), elements=nonzero),
    seed=st.integers(0, 2**32 - 1),
)
def test_every_resampled_ratio_lies_between_the_extreme_examinee_ratios(
    pairs: np.ndarray, seed: int
) -> None:
    errors, reference = pairs[:, 0], pairs[:, 1]
    per_examinee = np.abs(errors / reference)

    interval = paired_rmse_ratio(errors, reference, draws=300, seed=seed)

    low, high = per_examinee.min() * (1 - 1e-9), per_examinee.max() * (1 + 1e-9)
    assert low <= interval.lower <= interval.upper <= high
    assert low <= interval.ratio <= high
