"""The priors' log density, gradient and curvature in the EM's coordinates.

Coordinates are columns of a (J, K) array: log a, b and, for the 3PL, logit c. The Beta
prior is the density of c itself (no Jacobian term), so its mode is c's usual MAP.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from domain.calibration.settings import ItemPriors

FloatArray = NDArray[np.float64]


def _guess(coordinates: FloatArray) -> FloatArray:
    return np.asarray(1.0 / (1.0 + np.exp(-coordinates[:, 2])), dtype=np.float64)


def log_prior(priors: ItemPriors, coordinates: FloatArray) -> float:
    total = 0.0
    if priors.log_slope_sd is not None:
        total -= float(np.sum((coordinates[:, 0] - priors.log_slope_mean) ** 2)) / (
            2 * priors.log_slope_sd**2
        )
    if priors.difficulty_sd is not None:
        total -= float(np.sum(coordinates[:, 1] ** 2)) / (2 * priors.difficulty_sd**2)
    if coordinates.shape[1] == 3:
        c = _guess(coordinates)
        total += float(
            np.sum(
                (priors.guessing_alpha - 1) * np.log(c) + (priors.guessing_beta - 1) * np.log1p(-c)
            )
        )
    return total


def prior_gradient_and_curvature(
    priors: ItemPriors, coordinates: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """The gradient of the log prior and its negative second derivative, both (J, K); the
    priors are independent per coordinate, so the curvature is diagonal."""
    gradient = np.zeros_like(coordinates)
    curvature = np.zeros_like(coordinates)
    if priors.log_slope_sd is not None:
        precision = 1.0 / priors.log_slope_sd**2
        gradient[:, 0] = -(coordinates[:, 0] - priors.log_slope_mean) * precision
        curvature[:, 0] = precision
    if priors.difficulty_sd is not None:
        precision = 1.0 / priors.difficulty_sd**2
        gradient[:, 1] = -coordinates[:, 1] * precision
        curvature[:, 1] = precision
    if coordinates.shape[1] == 3:
        c = _guess(coordinates)
        alpha, beta = priors.guessing_alpha - 1, priors.guessing_beta - 1
        # d/dγ of alpha log c + beta log(1 - c), with dc/dγ = c (1 - c).
        gradient[:, 2] = alpha * (1 - c) - beta * c
        curvature[:, 2] = (alpha + beta) * c * (1 - c)
    return gradient, curvature
