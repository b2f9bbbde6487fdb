"""The E-step: each examinee's posterior over the ability nodes, and the expected counts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain.calibration.item_curves import ItemCurves
from domain.calibration.response_matrix import ResponseMatrix

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Expectation:
    """``posterior`` (N, Q); ``attempts`` and ``rights`` (J, Q) are the expected numbers of
    examinees at each node who answered, and answered right, each item."""

    posterior: FloatArray
    attempts: FloatArray
    rights: FloatArray
    log_likelihood: float


def expectation(
    responses: ResponseMatrix, curves: ItemCurves, log_weights: FloatArray
) -> Expectation:
    """One E-step; missing cells drop out because their row of both masks is zero."""
    wrong_answers = responses.administered - responses.correct
    log_joint = (
        responses.correct @ np.log(curves.correct)
        + wrong_answers @ np.log(curves.wrong)
        + log_weights
    )
    peak = log_joint.max(axis=1, keepdims=True)
    posterior = np.exp(log_joint - peak)
    marginal = posterior.sum(axis=1, keepdims=True)
    posterior /= marginal
    return Expectation(
        posterior=posterior,
        attempts=responses.administered.T @ posterior,
        rights=responses.correct.T @ posterior,
        log_likelihood=float(np.sum(np.log(marginal) + peak)),
    )
