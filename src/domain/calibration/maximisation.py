"""The M-step: one Fisher-scoring step for every item at once.

Given the expected counts, each item's complete-data log posterior is a small
independent problem; a batched K×K solve moves all items together. One step per EM cycle
is a generalised EM: it is enough because the next E-step moves the counts anyway.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from domain.calibration.expectation import Expectation
from domain.calibration.item_curves import ItemCurves
from domain.calibration.penalty import prior_gradient_and_curvature
from domain.calibration.settings import ItemPriors

FloatArray = NDArray[np.float64]

# A step longer than this in log a, b or logit c overshoots from a poor start (a flat
# item early on); the cap only binds in the first few cycles.
_MAX_STEP = 1.0


def scoring_step(
    coordinates: FloatArray, curves: ItemCurves, counts: Expectation, priors: ItemPriors
) -> FloatArray:
    """The coordinates after one Fisher-scoring step on every item's expected log posterior."""
    variance = curves.correct * curves.wrong
    residual = (counts.rights - counts.attempts * curves.correct) / variance
    weight = counts.attempts / variance
    gradient = np.einsum("jq,jqk->jk", residual, curves.gradient)
    information = np.einsum("jq,jqk,jql->jkl", weight, curves.gradient, curves.gradient)
    prior_gradient, prior_curvature = prior_gradient_and_curvature(priors, coordinates)
    gradient += prior_gradient
    size = coordinates.shape[1]
    information[:, range(size), range(size)] += prior_curvature
    # A tiny ridge keeps an item with almost no expected responses solvable.
    information[:, range(size), range(size)] += 1e-9
    step = np.linalg.solve(information, gradient[..., np.newaxis])[..., 0]
    return np.asarray(coordinates + np.clip(step, -_MAX_STEP, _MAX_STEP), dtype=np.float64)
