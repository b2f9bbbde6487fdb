"""Bock–Aitkin EM: item parameters by marginal maximum likelihood over a quadrature grid."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from domain.adaptive.quadrature import NormalPrior, QuadratureGrid
from domain.calibration.expectation import Expectation, expectation
from domain.calibration.item_curves import ItemCurves, item_curves
from domain.calibration.maximisation import scoring_step
from domain.calibration.response_matrix import ResponseMatrix
from domain.calibration.result import Calibration
from domain.calibration.settings import CalibrationSettings, ItemModel
from domain.calibration.standard_errors import coordinate_variances

FloatArray = NDArray[np.float64]

Progress = Callable[[int, float], None]
"""Called after every EM iteration with its number and the marginal log-likelihood."""


def calibrate(
    responses: ResponseMatrix,
    settings: CalibrationSettings | None = None,
    progress: Progress | None = None,
) -> Calibration:
    """Fit every item's parameters to ``responses``, ability fixed at N(0, 1)."""
    settings = settings or CalibrationSettings()
    grid = QuadratureGrid(
        lower=-settings.quadrature_bound,
        upper=settings.quadrature_bound,
        points=settings.quadrature_points,
    )
    nodes = grid.nodes
    log_weights = grid.log_prior(NormalPrior())
    log_weights = log_weights - np.log(np.exp(log_weights).sum())
    coordinates = _starting_point(responses, settings.model)
    converged, iteration = False, 0
    while iteration < settings.max_iterations and not converged:
        iteration += 1
        curves = _curves(nodes, coordinates)
        counts = expectation(responses, curves, log_weights)
        updated = scoring_step(coordinates, curves, counts, settings.priors)
        converged = _largest_change(coordinates, updated) < settings.tolerance
        coordinates = updated
        if progress is not None:
            progress(iteration, counts.log_likelihood)
    curves = _curves(nodes, coordinates)
    counts = expectation(responses, curves, log_weights)
    return _result(responses, settings, coordinates, curves, counts, iteration, converged)


def _starting_point(responses: ResponseMatrix, model: ItemModel) -> FloatArray:
    """a = 1, b from each item's proportion correct (above chance for the 3PL), c = 0.2."""
    share = responses.correct.sum(axis=0) / responses.administered.sum(axis=0)
    guess = 0.2 if model is ItemModel.THREE_PL else 0.0
    above_chance = np.clip((share - guess) / (1 - guess), 0.02, 0.98)
    # With a = 1 and theta ~ N(0, 1), L ≈ Φ(z / 1.7) gives P ≈ Φ(-b / √(1 + 1.7²)), so the
    # item's logit is about -b · 1.7 / √(1 + 1.7²): inverted here for a first b.
    logit = np.log(above_chance / (1 - above_chance))
    difficulty = -logit * np.sqrt(1 + 1.7**2) / 1.7
    columns = [np.zeros(responses.items), difficulty]
    if model is ItemModel.THREE_PL:
        columns.append(np.full(responses.items, np.log(guess / (1 - guess))))
    return np.column_stack(columns)


def _curves(nodes: FloatArray, coordinates: FloatArray) -> ItemCurves:
    guess = None if coordinates.shape[1] == 2 else 1.0 / (1.0 + np.exp(-coordinates[:, 2]))
    return item_curves(nodes, np.exp(coordinates[:, 0]), coordinates[:, 1], guess)


def _largest_change(before: FloatArray, after: FloatArray) -> float:
    """In a, b and c themselves, the scale a tolerance is read in."""
    slope = np.abs(np.exp(after[:, 0]) - np.exp(before[:, 0]))
    change = np.maximum(slope, np.abs(after[:, 1] - before[:, 1]))
    if before.shape[1] == 3:
        guess_before, guess_after = (1 / (1 + np.exp(-x[:, 2])) for x in (before, after))
        change = np.maximum(change, np.abs(guess_after - guess_before))
    return float(change.max())


def _result(
    responses: ResponseMatrix,
    settings: CalibrationSettings,
    coordinates: FloatArray,
    curves: ItemCurves,
    counts: Expectation,
    iterations: int,
    converged: bool,
) -> Calibration:
    variances = coordinate_variances(responses, curves, counts, settings.priors, coordinates)
    a = np.exp(coordinates[:, 0])
    three = coordinates.shape[1] == 3
    return Calibration(
        model=settings.model,
        item_ids=responses.item_ids,
        a=a,
        b=coordinates[:, 1].copy(),
        c=1 / (1 + np.exp(-coordinates[:, 2])) if three else np.zeros(responses.items),
        # The delta method: d a / d log a = a.
        se_a=a * np.sqrt(variances[:, 0]),
        se_b=np.sqrt(variances[:, 1]),
        log_likelihood=counts.log_likelihood,
        iterations=iterations,
        converged=converged,
    )
