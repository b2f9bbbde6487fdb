import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.adaptive import irt


def _logistic(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.mark.parametrize(
    ("theta", "a", "b", "c", "d"),
    [
        (0.5, 1.0, 0.0, 0.0, 1.0),  # 1PL
        (-1.2, 1.7, -0.4, 0.0, 1.0),  # 2PL
        (0.3, 1.3, 0.8, 0.2, 1.0),  # 3PL
        (1.1, 0.9, -0.5, 0.15, 0.93),  # 4PL
    ],
)
def test_probability_matches_the_closed_form(
    theta: float, a: float, b: float, c: float, d: float
) -> None:
    expected = c + (d - c) * _logistic(a * (theta - b))

    assert irt.probability(theta, a, b, c, d) == pytest.approx(expected, rel=1e-12)


def test_one_and_two_pl_information_is_a_squared_p_q() -> None:
    p1 = _logistic(0.5)
    p2 = _logistic(1.7 * (-1.2 + 0.4))

    assert irt.information(0.5, 1.0, 0.0) == pytest.approx(p1 * (1 - p1), rel=1e-12)
    assert irt.information(-1.2, 1.7, -0.4) == pytest.approx(1.7**2 * p2 * (1 - p2), rel=1e-12)


def test_three_pl_information_matches_birnbaum() -> None:
    theta, a, b, c = 0.3, 1.3, 0.8, 0.2
    p = c + (1 - c) * _logistic(a * (theta - b))
    expected = a**2 * ((1 - p) / p) * ((p - c) / (1 - c)) ** 2

    assert irt.information(theta, a, b, c) == pytest.approx(expected, rel=1e-12)


def test_four_pl_information_matches_the_closed_form() -> None:
    theta, a, b, c, d = 1.1, 0.9, -0.5, 0.15, 0.93
    p = c + (d - c) * _logistic(a * (theta - b))
    expected = a**2 * (p - c) ** 2 * (d - p) ** 2 / ((d - c) ** 2 * p * (1 - p))

    assert irt.information(theta, a, b, c, d) == pytest.approx(expected, rel=1e-12)


def test_information_equals_squared_slope_over_variance_numerically() -> None:
    theta, a, b, c, d, h = 0.4, 1.4, 0.1, 0.1, 0.95, 1e-6
    p = float(irt.probability(theta, a, b, c, d))
    slope = float(irt.probability(theta + h, a, b, c, d) - irt.probability(theta - h, a, b, c, d))
    slope /= 2 * h

    assert irt.information(theta, a, b, c, d) == pytest.approx(slope**2 / (p * (1 - p)), rel=1e-6)


def test_total_information_sums_items_for_every_theta() -> None:
    a, b, c = np.array([1.0, 1.5, 0.7]), np.array([-1.0, 0.0, 1.0]), np.array([0.0, 0.2, 0.1])
    thetas = np.array([-2.0, 0.0, 2.0])

    total = irt.total_information(thetas[:, None], a, b, c)

    expected = [sum(float(irt.information(t, a[i], b[i], c[i])) for i in range(3)) for t in thetas]
    assert total == pytest.approx(expected, rel=1e-12)


finite_theta = st.floats(-1e3, 1e3)
discrimination = st.floats(1e-3, 50.0)
difficulty = st.floats(-50.0, 50.0)
asymptotes = st.tuples(st.floats(0.0, 1.0), st.floats(0.0, 1.0)).filter(lambda cd: cd[0] < cd[1])


@given(theta=finite_theta, a=discrimination, b=difficulty, cd=asymptotes)
def test_information_is_finite_and_non_negative(
    theta: float, a: float, b: float, cd: tuple[float, float]
) -> None:
    info = float(irt.information(theta, a, b, cd[0], cd[1]))

    assert math.isfinite(info)
    assert info >= 0.0


@given(theta=finite_theta, a=discrimination, b=difficulty, cd=asymptotes)
def test_probability_stays_between_the_asymptotes(
    theta: float, a: float, b: float, cd: tuple[float, float]
) -> None:
    c, d = cd

    assert c <= float(irt.probability(theta, a, b, c, d)) <= d
