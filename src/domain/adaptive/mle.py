"""Maximum-likelihood ability estimation, bounded to a finite ability range."""

import math
from collections.abc import Callable

import numpy as np
from numpy.typing import ArrayLike

from domain.adaptive.irt import (
    FloatArray,
    score_and_information,
    score_information_curvature,
    scores,
)

MLE_LOWER = -4.0
MLE_UPPER = 4.0
_TOLERANCE = 1e-9
# A Newton step on the observed information this short leaves an error near its square
# (quadratic convergence), far below _TOLERANCE: no need to take one more step to see it.
_QUADRATIC_STEP = 1e-6
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

    Newton's method on the observed information converges in a few steps from a warm
    start (Fisher scoring, used where the likelihood is not concave, converges only
    linearly once c > 0 or d < 1: twice the steps); a bracket on the sign of the score
    catches the steps that overshoot (3PL likelihoods are not concave) and replaces them
    by bisection, so the search always terminates inside the bounds.
    All-correct and all-wrong patterns have no interior maximum and return a bound.
    """
    u = np.asarray(responses, dtype=np.float64)

    def score(theta: float) -> tuple[float, float]:
        return score_and_information(theta, u, a=a, b=b, c=c, d=d)

    def newton_step(theta: float) -> tuple[float, float, bool]:
        gradient, fisher, observed = score_information_curvature(theta, u, a=a, b=b, c=c, d=d)
        return (gradient, observed, True) if observed > 0.0 else (gradient, fisher, False)

    # Both bounds in one pass over the items.
    at_lower, at_upper = scores(np.array([[lower], [upper]]), u, a=a, b=b, c=c, d=d).tolist()
    if at_lower <= 0.0:
        theta = lower
    elif at_upper >= 0.0:
        theta = upper
    else:
        theta = _safeguarded_newton(newton_step, min(max(start, lower), upper), lower, upper)
    info = score(theta)[1]
    return theta, 1.0 / math.sqrt(info) if info > 0.0 else math.inf


def _safeguarded_newton(
    score: Callable[[float], tuple[float, float, bool]], theta: float, low: float, high: float
) -> float:
    # Invariant: the score is positive at ``low`` and negative at ``high``.
    for _ in range(_MAX_ITERATIONS):
        gradient, info, newton = score(theta)
        if gradient == 0.0:
            return theta
        if gradient > 0.0:
            low = theta
        else:
            high = theta
        candidate = theta + gradient / info
        if not low < candidate < high:
            candidate, newton = 0.5 * (low + high), False
        step = abs(candidate - theta)
        if step < _TOLERANCE or high - low < _TOLERANCE or (newton and step < _QUADRATIC_STEP):
            return candidate
        theta = candidate
    return theta
