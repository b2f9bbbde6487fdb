"""Standard errors from the empirical (cross-product) information at the solution.

Each examinee's score is the posterior-averaged gradient of their own log-likelihood; the
sum of the scores' outer products estimates the observed information of all items'
parameters jointly (items share examinees, so their estimates covary). The priors'
curvature is added because the estimates are posterior modes.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from domain.calibration.expectation import Expectation
from domain.calibration.item_curves import ItemCurves
from domain.calibration.penalty import prior_gradient_and_curvature
from domain.calibration.response_matrix import ResponseMatrix
from domain.calibration.settings import ItemPriors

FloatArray = NDArray[np.float64]


def coordinate_variances(
    responses: ResponseMatrix,
    curves: ItemCurves,
    counts: Expectation,
    priors: ItemPriors,
    coordinates: FloatArray,
) -> FloatArray:
    """Sampling variances of every coordinate, (J, K); NaN where the information is singular."""
    items, _, size = curves.gradient.shape
    # (J, Q, K) -> (Q, J*K): one product per response direction gives every score.
    if_right = (curves.gradient / curves.correct[..., np.newaxis]).transpose(1, 0, 2)
    if_wrong = (curves.gradient / curves.wrong[..., np.newaxis]).transpose(1, 0, 2)
    right_scores = counts.posterior @ if_right.reshape(if_right.shape[0], -1)
    wrong_scores = counts.posterior @ if_wrong.reshape(if_wrong.shape[0], -1)
    wrong_answers = responses.administered - responses.correct
    scores = (
        np.repeat(responses.correct, size, axis=1) * right_scores
        - np.repeat(wrong_answers, size, axis=1) * wrong_scores
    )
    information = scores.T @ scores
    _, prior_curvature = prior_gradient_and_curvature(priors, coordinates)
    information[np.diag_indices_from(information)] += prior_curvature.reshape(-1)
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        return np.full((items, size), np.nan)
    variances = np.diag(covariance).reshape(items, size)
    return np.asarray(np.where(variances > 0, variances, np.nan), dtype=np.float64)
