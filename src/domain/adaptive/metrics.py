"""Recovery and exposure statistics of a simulation."""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from domain.adaptive.irt import FloatArray
from domain.adaptive.simulation import SimulationResult


@dataclass(frozen=True, slots=True, kw_only=True)
class BandError:
    """RMSE of the examinees whose true theta lies in ``[lower, upper)``."""

    lower: float
    upper: float
    rmse: float
    count: int


@dataclass(frozen=True, slots=True, kw_only=True)
class SimulationMetrics:
    """How well and how evenly a simulated test measured.

    ``rmse_by_length[k - 1]`` is the RMSE of the estimate after ``k`` items, over the
    examinees whose test reached ``k`` items (all of them for a fixed-length test).
    Exposure is the share of examinees who saw an item.
    """

    rmse: float
    bias: float
    mean_length: float
    max_exposure: float
    mean_exposure: float
    rmse_by_band: tuple[BandError, ...]
    rmse_by_length: tuple[float, ...]


def _rmse(errors: FloatArray) -> float:
    return float(np.sqrt(np.mean(errors * errors))) if errors.size else float("nan")


def item_exposure(result: SimulationResult) -> FloatArray:
    """Share of examinees that were administered each bank item."""
    counts = np.zeros(result.bank_size)
    for items in result.administered:
        counts[list(items)] += 1
    return counts / max(len(result.administered), 1)


def summarize(
    result: SimulationResult, *, band_edges: tuple[float, ...] = (-3, -2, -1, 0, 1, 2, 3)
) -> SimulationMetrics:
    """RMSE, bias, mean length, exposure, and RMSE by theta band and by test length."""
    errors = result.estimate - result.true_theta
    exposure = item_exposure(result)
    bands = []
    for lower, upper in pairwise(band_edges):
        inside = (result.true_theta >= lower) & (result.true_theta < upper)
        bands.append(
            BandError(lower=lower, upper=upper, rmse=_rmse(errors[inside]), count=int(inside.sum()))
        )
    by_length = [
        _rmse(result.trajectory[reached, k] - result.true_theta[reached])
        for k in range(result.trajectory.shape[1])
        if (reached := result.length > k).any()
    ]
    return SimulationMetrics(
        rmse=_rmse(errors),
        bias=float(errors.mean()),
        mean_length=float(result.length.mean()),
        max_exposure=float(exposure.max()),
        mean_exposure=float(exposure.mean()),
        rmse_by_band=tuple(bands),
        rmse_by_length=tuple(by_length),
    )
