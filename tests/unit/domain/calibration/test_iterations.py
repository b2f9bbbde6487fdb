"""The EM loop's limits and its progress reports."""

from __future__ import annotations

import itertools

from domain.calibration import CalibrationSettings, ItemPriors, ResponseMatrix, calibrate
from tests.unit.domain.calibration.simulated import simulated_bank


def test_progress_is_reported_once_per_iteration_and_the_likelihood_climbs() -> None:
    bank = simulated_bank(items=8, examinees=1000, seed=2)
    seen: list[tuple[int, float]] = []
    fit = calibrate(
        ResponseMatrix(bank.responses),
        CalibrationSettings(priors=ItemPriors.none()),
        progress=lambda iteration, log_likelihood: seen.append((iteration, log_likelihood)),
    )
    assert [iteration for iteration, _ in seen] == list(range(1, fit.iterations + 1))
    likelihoods = [log_likelihood for _, log_likelihood in seen]
    # EM never lowers the marginal likelihood (up to rounding) when nothing else is maximised.
    assert all(later >= earlier - 1e-6 for earlier, later in itertools.pairwise(likelihoods))
    assert fit.log_likelihood >= likelihoods[-1] - 1e-6


def test_the_iteration_cap_stops_the_em_and_says_it_did_not_converge() -> None:
    bank = simulated_bank(items=8, examinees=1000, seed=2)
    fit = calibrate(ResponseMatrix(bank.responses), CalibrationSettings(max_iterations=3))
    assert fit.iterations == 3
    assert not fit.converged


def test_a_looser_tolerance_stops_sooner() -> None:
    bank = simulated_bank(items=8, examinees=1000, seed=2)
    loose = calibrate(ResponseMatrix(bank.responses), CalibrationSettings(tolerance=1e-2))
    tight = calibrate(ResponseMatrix(bank.responses), CalibrationSettings(tolerance=1e-6))
    assert loose.converged
    assert tight.converged
    assert loose.iterations < tight.iterations
