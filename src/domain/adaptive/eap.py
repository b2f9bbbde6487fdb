"""Expected a posteriori (EAP) ability estimation on a quadrature grid."""

import numpy as np
from numpy.typing import ArrayLike

from domain.adaptive.irt import FloatArray, response_log_probabilities
from domain.adaptive.quadrature import NormalPrior, QuadratureGrid


def posterior_summary(log_posterior: FloatArray, grid: QuadratureGrid) -> tuple[float, float]:
    """Posterior mean and standard deviation from an unnormalised log posterior.

    Subtracting the maximum before exponentiating keeps every weight in (0, 1], so long
    all-correct or all-wrong patterns neither overflow nor underflow to a zero total.
    """
    weights = np.exp(log_posterior - log_posterior.max())
    total, first, second = (weights @ grid.moments).tolist()
    mean = first / total
    second_moment = second / total
    # Rounding can push the variance a hair below zero for a needle-sharp posterior.
    return mean, max(second_moment - mean * mean, 0.0) ** 0.5


def eap_estimate(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    c: ArrayLike,
    d: ArrayLike,
    *,
    prior: NormalPrior | None = None,
    grid: QuadratureGrid | None = None,
) -> tuple[float, float]:
    """EAP estimate and posterior SD for a whole response pattern at once.

    The engine keeps the log posterior incrementally instead; this batch form is for
    callers that hold a finished pattern.
    """
    grid = grid or QuadratureGrid()
    log_posterior = grid.log_prior(prior or NormalPrior())
    correct = np.asarray(responses, dtype=bool)
    if correct.size:
        log_p, log_q = response_log_probabilities(
            grid.nodes[:, None], np.asarray(a), np.asarray(b), np.asarray(c), np.asarray(d)
        )
        log_posterior = log_posterior + np.where(correct, log_p, log_q).sum(axis=1)
    return posterior_summary(log_posterior, grid)
