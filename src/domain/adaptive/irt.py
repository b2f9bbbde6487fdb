"""Four-parameter logistic IRT model, vectorised over items and abilities.

Every function broadcasts ``theta`` against the item parameters, so a column of abilities
(shape ``(T, 1)``) against a bank (shape ``(N,)``) yields a ``(T, N)`` table.
"""

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]

# Beyond |z| = 40 the logistic is 1 or 0 to within 4e-18; clipping keeps every
# probability strictly inside (c, d) so information and log-likelihoods stay finite.
_LOGIT_LIMIT = 40.0
# The constants of the logistic as 0-d float64 arrays: the same values, but numpy need
# not convert a Python float at every call, a third of each call on a test's items.
_LOWEST_LOGIT, _HIGHEST_LOGIT, _ONE = np.array(-_LOGIT_LIMIT), np.array(_LOGIT_LIMIT), np.array(1.0)


def _logistic_pair(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> tuple[FloatArray, FloatArray]:
    # minimum/maximum rather than np.clip: the same values without np.clip's Python
    # wrapper, which cost a third of a small MLE step.
    z = np.minimum(np.maximum(np.multiply(a, np.subtract(theta, b)), _LOWEST_LOGIT), _HIGHEST_LOGIT)
    # The complement is computed on its own rather than as 1 - L, which loses every
    # significant digit once L is within an ulp of 1.
    return _ONE / (_ONE + np.exp(-z)), _ONE / (_ONE + np.exp(z))


def probability(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0, d: ArrayLike = 1.0
) -> FloatArray:
    """Probability of a correct response, ``c + (d - c) / (1 + exp(-a (theta - b)))``."""
    logistic, _ = _logistic_pair(theta, a, b)
    p = np.add(c, np.multiply(np.subtract(d, c), logistic))
    # Rounding in c + (d - c) L can step an ulp outside the asymptotes.
    return np.asarray(np.minimum(np.maximum(p, c), d), dtype=np.float64)


def response_log_probabilities(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0, d: ArrayLike = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Log-probabilities of a correct and of an incorrect response.

    The incorrect branch uses ``1 - P = (1 - d) + (d - c) (1 - L)`` so that it never
    rounds to zero for very easy items.
    """
    logistic, complement = _logistic_pair(theta, a, b)
    spread = np.subtract(d, c)
    p = np.add(c, np.multiply(spread, logistic))
    q = np.add(np.subtract(1.0, d), np.multiply(spread, complement))
    return np.log(p), np.log(q)


def information(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0, d: ArrayLike = 1.0
) -> FloatArray:
    """Fisher information of each item, ``a² (P - c)² (d - P)² / ((d - c)² P (1 - P))``.

    Written through the logistic ``L`` as ``a² (d - c)² L² (1 - L)² / (P (1 - P))``, which
    is the same quantity without the cancellation in ``P - c`` and ``d - P``.
    """
    logistic, complement = _logistic_pair(theta, a, b)
    spread = np.subtract(d, c)
    p = np.add(c, np.multiply(spread, logistic))
    q = np.add(np.subtract(1.0, d), np.multiply(spread, complement))
    slope = np.multiply(np.multiply(a, spread), np.multiply(logistic, complement))
    numerator, denominator = np.broadcast_arrays(slope * slope, p * q)
    # Where P or 1 - P underflows to 0 the item tells nothing: its information is 0, not 0/0.
    result = np.zeros(numerator.shape, dtype=np.float64)
    np.divide(numerator, denominator, out=result, where=denominator > 0)
    return result


def total_information(
    theta: ArrayLike, a: ArrayLike, b: ArrayLike, c: ArrayLike = 0.0, d: ArrayLike = 1.0
) -> FloatArray:
    """The test information function: item information summed over the last (item) axis.

    Not named ``test_information`` so pytest never mistakes an import of it for a test.
    """
    return np.asarray(information(theta, a, b, c, d).sum(axis=-1), dtype=np.float64)


def score_and_information(
    theta: float,
    responses: ArrayLike,
    *,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    d: FloatArray,
) -> tuple[float, float]:
    """Log-likelihood derivative ``Σ (u - P) P' / (P (1 - P))`` and test information at theta.

    Both come from one pass over the items because Fisher scoring needs them together.
    """
    logistic, complement = _logistic_pair(theta, a, b)
    spread = d - c
    p = c + spread * logistic
    q = (1.0 - d) + spread * complement
    slope = a * spread * logistic * complement
    weight = slope / (p * q)
    residual = np.asarray(responses, dtype=np.float64) - p
    return float(residual @ weight), float(slope @ weight)


def score_information_curvature(
    theta: float,
    responses: ArrayLike,
    *,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    d: FloatArray,
) -> tuple[float, float, float]:
    """The score, the test (Fisher) information and the observed information at theta.

    The observed information is minus the log-likelihood's second derivative:
    ``Σ P'² / (P Q) - (u - P) (P'' / (P Q) - P'² (Q - P) / (P Q)²)``, with
    ``P'' = a P' (1 - 2 L)``; Newton's method on it converges quadratically.
    """
    u = np.asarray(responses, dtype=np.float64)
    return _score_information_curvature(theta, u, *_item_terms(a, b, c, d))


class ItemTerms:
    """A bank's per-item constants of `score_information_curvature`, one row each.

    The rows are a, b, c, 1 - d, d - c and a (d - c): the items of a test come out in
    one read instead of one per parameter, and the sums skip the three subtractions
    and the product that only depend on the item.
    """

    __slots__ = ("_rows",)

    def __init__(self, a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray) -> None:
        self._rows = np.stack(_item_terms(a, b, c, d))
        self._rows.setflags(write=False)

    @property
    def nbytes(self) -> int:
        """Memory of the rows."""
        return self._rows.nbytes

    def score_information_curvature(
        self, theta: float, items: Sequence[int], responses: Sequence[bool]
    ) -> tuple[float, float, float]:
        """`score_information_curvature` of these bank items' responses, to the last bit."""
        # Each row of the taken block is contiguous, as separate parameter arrays are:
        # numpy's vector loops and the dot products see the same memory layout.
        rows = self._rows.take(items, axis=1)
        # Booleans are the bytes 0 and 1; subtracting P casts them to 0.0 and 1.0.
        u = np.frombuffer(bytes(responses), dtype=np.uint8)
        return _score_information_curvature(theta, u, *rows)


def _item_terms(
    a: FloatArray, b: FloatArray, c: FloatArray, d: FloatArray
) -> tuple[FloatArray, ...]:
    spread = d - c
    return a, b, c, 1.0 - d, spread, a * spread


def _score_information_curvature(
    theta: float,
    u: NDArray[np.float64] | NDArray[np.uint8],
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    complement_of_d: FloatArray,
    spread: FloatArray,
    a_spread: FloatArray,
) -> tuple[float, float, float]:
    logistic, complement = _logistic_pair(theta, a, b)
    p = c + spread * logistic
    q = complement_of_d + spread * complement
    slope = a_spread * logistic * complement
    pq = p * q
    weight = slope / pq
    residual = u - p
    bend = a * slope * (complement - logistic)
    curvature = bend / pq - weight * weight * (q - p)
    # ndarray.dot: the same BLAS dot product as @, without matmul's dispatch.
    fisher = float(slope.dot(weight))
    return float(residual.dot(weight)), fisher, fisher - float(residual.dot(curvature))


def scores(
    thetas: FloatArray,
    responses: ArrayLike,
    *,
    a: FloatArray,
    b: FloatArray,
    c: FloatArray,
    d: FloatArray,
) -> FloatArray:
    """The log-likelihood derivative at each of a column of abilities (shape ``(T, 1)``)."""
    logistic, complement = _logistic_pair(thetas, a, b)
    spread = d - c
    p = c + spread * logistic
    q = (1.0 - d) + spread * complement
    weight = a * spread * logistic * complement / (p * q)
    residual = np.asarray(responses, dtype=np.float64) - p
    return np.asarray((residual * weight).sum(axis=-1), dtype=np.float64)
