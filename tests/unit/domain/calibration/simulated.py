"""Seeded response matrices drawn from known item parameters."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class SimulatedBank:
    responses: FloatArray
    a: FloatArray
    b: FloatArray
    c: FloatArray


def simulated_bank(
    *, items: int, examinees: int, seed: int, guessing: bool = False, missing: float = 0.0
) -> SimulatedBank:
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0.0, 0.3, items)
    b = rng.normal(0.0, 1.0, items)
    c = rng.uniform(0.05, 0.3, items) if guessing else np.zeros(items)
    theta = rng.normal(size=(examinees, 1))
    p = c + (1 - c) / (1 + np.exp(-a * (theta - b)))
    responses = (rng.random(p.shape) < p).astype(np.float64)
    responses[rng.random(p.shape) < missing] = np.nan
    return SimulatedBank(responses, a, b, c)


def rmse(estimate: FloatArray, truth: FloatArray) -> float:
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))
