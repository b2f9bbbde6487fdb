"""The EM's solution against the marginal likelihood computed directly on a dense grid.

Three items give eight response patterns; the likelihood of each is an integral over a
N(0, 1) ability that a 4,001-point trapezoid computes to many more digits than the EM's
own quadrature. At the EM's solution that likelihood must be at a maximum: no nearby
point is higher and its numerical gradient vanishes.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from domain.calibration import (
    CalibrationSettings,
    ItemModel,
    ItemPriors,
    ResponseMatrix,
    calibrate,
)
from tests.unit.domain.calibration.simulated import FloatArray, simulated_bank

_NODES = np.linspace(-8.0, 8.0, 4001)
_WEIGHTS = np.exp(-0.5 * _NODES**2) / np.sqrt(2 * np.pi) * (_NODES[1] - _NODES[0])
_EXACT = CalibrationSettings(
    tolerance=1e-8, max_iterations=5000, quadrature_points=161, quadrature_bound=7.0
)


def brute_force_log_likelihood(responses: FloatArray, parameters: FloatArray) -> float:
    """Sum over examinees of log ∫ Π_j P_j(θ)^u (1 - P_j(θ))^(1-u) φ(θ) dθ, by patterns."""
    a, b, c = parameters
    p = c[:, None] + (1 - c[:, None]) / (1 + np.exp(-a[:, None] * (_NODES - b[:, None])))
    total = 0.0
    for pattern in itertools.product((0.0, 1.0), repeat=len(a)):
        count = int(np.sum(np.all(responses == np.array(pattern), axis=1)))
        if count:
            column = np.array(pattern)[:, None]
            likelihood = np.prod(np.where(column == 1.0, p, 1 - p), axis=0)
            total += count * float(np.log(likelihood @ _WEIGHTS))
    return total


def test_the_2pl_solution_is_the_maximum_of_the_exact_marginal_likelihood() -> None:
    bank = simulated_bank(items=3, examinees=1500, seed=11)
    settings = CalibrationSettings(
        tolerance=_EXACT.tolerance,
        max_iterations=_EXACT.max_iterations,
        quadrature_points=_EXACT.quadrature_points,
        quadrature_bound=_EXACT.quadrature_bound,
        priors=ItemPriors.none(),
    )
    fit = calibrate(ResponseMatrix(bank.responses), settings)
    assert fit.converged
    solution = np.array([fit.a, fit.b, fit.c])
    best = brute_force_log_likelihood(bank.responses, solution)
    assert fit.log_likelihood == pytest.approx(best, abs=1e-4)

    for row, item in itertools.product(range(2), range(3)):
        for sign in (-1.0, 1.0):
            nearby = solution.copy()
            nearby[row, item] += sign * 0.02
            assert brute_force_log_likelihood(bank.responses, nearby) < best

    step = 1e-5
    for row, item in itertools.product(range(2), range(3)):
        up, down = solution.copy(), solution.copy()
        up[row, item] += step
        down[row, item] -= step
        slope = (
            brute_force_log_likelihood(bank.responses, up)
            - brute_force_log_likelihood(bank.responses, down)
        ) / (2 * step)
        # On 1,500 examinees the curvature is hundreds per unit: a slope this small puts
        # the exact maximum within 1e-3 of the EM's.
        assert abs(slope) < 0.2, (row, item, slope)


def test_the_3pl_solution_maximises_the_exact_likelihood_plus_the_beta_prior() -> None:
    bank = simulated_bank(items=3, examinees=2000, seed=5, guessing=True)
    priors = ItemPriors.none()
    # The 3PL's EM creeps (hundreds of cycles); 1e-6 is well inside the ±0.02 probes.
    settings = CalibrationSettings(
        model=ItemModel.THREE_PL,
        tolerance=1e-6,
        max_iterations=_EXACT.max_iterations,
        quadrature_points=_EXACT.quadrature_points,
        quadrature_bound=_EXACT.quadrature_bound,
        priors=priors,
    )
    fit = calibrate(ResponseMatrix(bank.responses), settings)
    assert fit.converged

    def penalised(parameters: FloatArray) -> float:
        c = parameters[2]
        prior = np.sum(
            (priors.guessing_alpha - 1) * np.log(c) + (priors.guessing_beta - 1) * np.log1p(-c)
        )
        return brute_force_log_likelihood(bank.responses, parameters) + float(prior)

    solution = np.array([fit.a, fit.b, fit.c])
    best = penalised(solution)
    for row, item in itertools.product(range(3), range(3)):
        for sign in (-1.0, 1.0):
            nearby = solution.copy()
            nearby[row, item] += sign * 0.02
            assert penalised(nearby) < best, (row, item, sign)
