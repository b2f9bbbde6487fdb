"""Maximum-likelihood ability estimation, bounded to a finite ability range."""

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from domain.adaptive.irt import FloatArray, score_and_information

MLE_LOWER = -4.0
MLE_UPPER = 4.0
_TOLERANCE = 1e-9
_MAX_ITERATIONS = 60


def mle_estimate(
    responses: ArrayLike,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    d: FloatArray,
    *,
    start: float = 0.0,
    lower: float = MLE_LOWER,
    upper: float = MLE_UPPER,
) -> tuple[float, float]:
    """MLE of ability inside ``[lower, upper]`` and its SE, ``1 / sqrt(test information)``.

    Fisher scoring converges in a few steps from a warm start; a bracket on the sign of
    the score catches the steps that overshoot (3PL likelihoods are not concave) and
    replaces them by bisection, so the search always terminates inside the bounds.
    All-correct and all-wrong patterns have no interior maximum and return a bound.
    """
    u = np.asarray(responses, dtype=np.float64)

    def score(theta: float) -> tuple[float, float]:
        return score_and_information(theta, u, a=a, b=b, c=c, d=d)

    if score(lower)[0] <= 0.0:
        theta = lower
    elif score(upper)[0] >= 0.0:
        theta = upper
    else:
        theta = _safeguarded_newton(score, min(max(start, lower), upper), lower, upper)
    info = score(theta)[1]
    return theta, 1.0 / math.sqrt(info) if info > 0.0 else math.inf


def _safeguarded_newton(
    score: Callable[[float], tuple[float, float]], theta: float, low: float, high: float
) -> float:
    # Invariant: the score is positive at ``low`` and negative at ``high``.
    for _ in range(_MAX_ITERATIONS):
        gradient, info = score(theta)
        if gradient == 0.0:
            return theta
        if gradient > 0.0:
            low = theta
        else:
            high = theta
        candidate = theta + gradient / info
        if not low < candidate < high:
            candidate = 0.5 * (low + high)
        if abs(candidate - theta) < _TOLERANCE or high - low < _TOLERANCE:
            return candidate
        theta = candidate
    return theta
