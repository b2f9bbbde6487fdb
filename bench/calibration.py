"""Item calibration, ours against girth 0.8, on the same seeded response matrices.

    uv run --group bench python -m bench.calibration

Prints a Markdown table: RMSE of a and b against the generating parameters, wall time,
and how many times faster ours ran. girth 3PL has no missing-data path, so the sparse
case is 2PL only, where girth takes missing cells tagged with its INVALID_RESPONSE.
"""

from __future__ import annotations

import os

# Two cores shared by several engineers: OpenBLAS threads then fight each other and run
# one matrix product ten times slower. Both libraries run under the same single thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sys
import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain.calibration import CalibrationSettings, ItemModel, ResponseMatrix, calibrate

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Case:
    name: str
    model: ItemModel
    items: int
    examinees: int
    missing: float = 0.0


@dataclass(frozen=True, slots=True)
class Row:
    case: str
    engine: str
    rmse_a: float
    rmse_b: float
    seconds: float
    failure: str = ""


CASES = (
    Case("2PL 40x2000", ItemModel.TWO_PL, 40, 2000),
    Case("3PL 40x5000", ItemModel.THREE_PL, 40, 5000),
    Case("2PL 40x2000, 30% missing", ItemModel.TWO_PL, 40, 2000, missing=0.3),
)
ENGINES = ("hourglass", "girth 0.8")


def simulated(case: Case, seed: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Responses (NaN where not administered) and the generating a and b."""
    rng = np.random.default_rng(seed)
    a = rng.lognormal(0.0, 0.3, case.items)
    b = rng.normal(0.0, 1.0, case.items)
    c = rng.uniform(0.05, 0.3, case.items) if case.model is ItemModel.THREE_PL else 0.0
    theta = rng.normal(size=(case.examinees, 1))
    p = c + (1 - c) / (1 + np.exp(-a * (theta - b)))
    responses = (rng.random(p.shape) < p).astype(np.float64)
    responses[rng.random(p.shape) < case.missing] = np.nan
    return responses, a, b


def _ours(case: Case, responses: FloatArray) -> tuple[FloatArray, FloatArray]:
    fit = calibrate(ResponseMatrix(responses), CalibrationSettings(model=case.model))
    return fit.a, fit.b


def _girth(case: Case, responses: FloatArray) -> tuple[FloatArray, FloatArray]:
    from girth import threepl_mml, twopl_mml
    from girth.utilities import INVALID_RESPONSE

    # girth wants items by examinees, integers, and its own tag for a missing cell.
    dataset = np.where(np.isnan(responses), INVALID_RESPONSE, responses).T.astype(int)
    fitter = threepl_mml if case.model is ItemModel.THREE_PL else twopl_mml
    fit = fitter(dataset)
    return np.asarray(fit["Discrimination"]), np.asarray(fit["Difficulty"])


def run(cases: tuple[Case, ...] = CASES, seed: int = 20) -> list[Row]:
    rows = []
    for number, case in enumerate(cases):
        responses, a, b = simulated(case, seed + number)
        for engine, fitter in zip(ENGINES, (_ours, _girth), strict=True):
            started = time.perf_counter()
            try:
                fitted_a, fitted_b = fitter(case, responses)
            except (ValueError, TypeError) as error:
                # girth 0.8 (2021) predates numpy 2 and scipy 1.17; its 3PL fails inside
                # scipy's fminbound there. The row says so rather than hiding the case.
                failure = f"{type(error).__name__}: {error}"
                rows.append(Row(case.name, engine, np.nan, np.nan, np.nan, failure))
                continue
            seconds = time.perf_counter() - started
            rows.append(Row(case.name, engine, _rmse(fitted_a, a), _rmse(fitted_b, b), seconds))
    return rows


def _rmse(estimate: FloatArray, truth: FloatArray) -> float:
    return float(np.sqrt(np.mean((estimate - truth) ** 2)))


COLUMNS = ("data", "engine", "RMSE a", "RMSE b", "seconds", "girth time / ours")


def render(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    ours = {row.case: row for row in rows if row.engine == ENGINES[0]}
    for row in rows:
        if row.failure:
            lines.append(f"| {row.case} | {row.engine} | failed: {row.failure} | | | |")
            continue
        ratio = "" if row.engine == ENGINES[0] else f"{row.seconds / ours[row.case].seconds:.1f}x"
        lines.append(
            f"| {row.case} | {row.engine} | {row.rmse_a:.3f} | {row.rmse_b:.3f} "
            f"| {row.seconds:.2f} | {ratio} |"
        )
    return "\n".join(lines)


def main() -> None:
    print(render(run()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
