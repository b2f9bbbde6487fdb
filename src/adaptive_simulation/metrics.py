"""Recovery and exposure statistics of a simulation."""

from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from adaptive_simulation.simulation import SimulationResult
from domain.adaptive.irt import FloatArray


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


@dataclass(frozen=True, slots=True, kw_only=True)
class RatioInterval:
    """``ratio`` of two RMSEs over the same examinees, with a bootstrap interval."""

    ratio: float
    lower: float
    upper: float

    @property
    def change(self) -> float:
        """The ratio as a relative change: -0.1 means 10 % lower."""
        return self.ratio - 1.0


def paired_rmse_ratio(
    errors: FloatArray,
    reference: FloatArray,
    *,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> RatioInterval:
    """RMSE of ``errors`` over RMSE of ``reference``, the same examinees in the same order.

    The interval is a paired percentile bootstrap: examinees are resampled with
    replacement and both errors of a drawn examinee go into the resample together, so
    the luck the two runs shared (who was drawn, which answers they gave) cancels.
    """
    ours, theirs = np.square(errors), np.square(reference)
    if ours.shape != theirs.shape or ours.ndim != 1 or ours.size == 0:
        raise ValueError("need the errors of the same examinees, at least one")
    rng = np.random.default_rng(seed)
    ratios = np.empty(draws)
    # Chunks keep the index matrix small: 2,000 draws of 5,000 examinees would be 80 MB.
    for start in range(0, draws, 200):
        picks = rng.integers(0, ours.size, size=(min(200, draws - start), ours.size))
        ratios[start : start + picks.shape[0]] = np.sqrt(
            ours[picks].sum(axis=1) / theirs[picks].sum(axis=1)
        )
    tail = 50.0 * (1.0 - level)
    lower, upper = np.percentile(ratios, [tail, 100.0 - tail])
    return RatioInterval(
        ratio=float(np.sqrt(ours.sum() / theirs.sum())), lower=float(lower), upper=float(upper)
    )


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
