import math

import numpy as np
import pytest

from adaptive_simulation import generate_bank
from domain.adaptive import NormalPrior, eap_estimate, mle_estimate, probability
from domain.adaptive.irt import score_and_information, total_information


def _brute_force_eap(
    responses: np.ndarray, bank_slice: tuple[np.ndarray, ...], prior: NormalPrior
) -> tuple[float, float]:
    a, b, c, d = bank_slice
    theta = np.linspace(-4.0, 4.0, 40_001)
    p = probability(theta[:, None], a, b, c, d)
    likelihood = np.prod(np.where(responses, p, 1 - p), axis=1)
    density = likelihood * np.exp(-0.5 * ((theta - prior.mean) / prior.sd) ** 2)
    mass = np.trapezoid(density, theta)
    mean = np.trapezoid(theta * density, theta) / mass
    variance = np.trapezoid((theta - mean) ** 2 * density, theta) / mass
    return float(mean), float(math.sqrt(variance))


def _items(n: int, seed: int = 3) -> tuple[np.ndarray, ...]:
    bank = generate_bank(n, seed)
    return bank.a, bank.b, bank.c, bank.d


@pytest.mark.parametrize("prior", [NormalPrior(), NormalPrior(mean=0.5, sd=1.3)])
def test_eap_matches_a_brute_force_integral(prior: NormalPrior) -> None:
    items = _items(25)
    responses = np.random.default_rng(11).random(25) < 0.6

    theta, se = eap_estimate(responses, *items, prior=prior)

    expected_theta, expected_se = _brute_force_eap(responses, items, prior)
    assert theta == pytest.approx(expected_theta, abs=1e-4)
    assert se == pytest.approx(expected_se, abs=1e-4)


@pytest.mark.parametrize("correct", [True, False])
def test_eap_is_finite_for_constant_patterns(correct: bool) -> None:
    items = _items(40)
    responses = np.full(40, correct)

    theta, se = eap_estimate(responses, *items)

    assert math.isfinite(theta)
    assert math.isfinite(se)
    assert se > 0
    assert (theta > 1.0) if correct else (theta < -1.0)


def _bisect_score(responses: np.ndarray, items: tuple[np.ndarray, ...]) -> float:
    a, b, c, d = items
    low, high = -4.0, 4.0
    for _ in range(200):
        middle = 0.5 * (low + high)
        gradient, _ = score_and_information(middle, responses, a=a, b=b, c=c, d=d)
        if gradient > 0:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_mle_finds_the_root_of_the_score(seed: int) -> None:
    items = _items(30, seed)
    responses = np.random.default_rng(seed).random(30) < probability(0.4, *items)

    theta, se = mle_estimate(responses, *items)

    assert theta == pytest.approx(_bisect_score(responses, items), abs=1e-6)
    assert se == pytest.approx(1 / math.sqrt(float(total_information(theta, *items))), rel=1e-9)


def test_mle_stays_on_the_bounds_for_constant_patterns() -> None:
    items = _items(10)

    assert mle_estimate(np.ones(10, dtype=bool), *items)[0] == 4.0
    assert mle_estimate(np.zeros(10, dtype=bool), *items)[0] == -4.0
