"""Item response curves on the quadrature grid and their derivatives.

The EM works in (log a, b, logit c) so that a > 0 and 0 < c < 1 hold without clamping;
every derivative here is with respect to those coordinates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain.adaptive.irt import probability

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ItemCurves:
    """For J items at Q nodes: P and 1 - P, shape (J, Q), and dP by coordinate, (J, Q, K)."""

    correct: FloatArray
    wrong: FloatArray
    gradient: FloatArray


def item_curves(
    nodes: FloatArray, a: FloatArray, b: FloatArray, c: FloatArray | None
) -> ItemCurves:
    """Curves of every item; ``c`` None is the 2PL, whose K is 2 (log a, b), else 3."""
    theta = nodes[np.newaxis, :]
    slope, difficulty = a[:, np.newaxis], b[:, np.newaxis]
    logistic = probability(theta, slope, difficulty)
    # 1 - L computed as L(-z) keeps its digits when L rounds to 1 (see irt._logistic_pair).
    complement = probability(theta, -slope, difficulty)
    spread = 1.0 if c is None else 1.0 - c[:, np.newaxis]
    curve_slope = spread * logistic * complement
    derivatives = [curve_slope * slope * (theta - difficulty), -curve_slope * slope]
    if c is None:
        correct, wrong = logistic, complement
    else:
        guess = c[:, np.newaxis]
        correct = guess + spread * logistic
        wrong = spread * complement
        derivatives.append(complement * guess * spread)
    return ItemCurves(
        correct=np.asarray(correct, dtype=np.float64),
        wrong=np.asarray(wrong, dtype=np.float64),
        gradient=np.stack(np.broadcast_arrays(*derivatives), axis=-1),
    )
