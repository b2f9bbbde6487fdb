"""Calibrating Sympson-Hetter exposure parameters by simulation."""

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from adaptive_simulation.metrics import item_exposure
from adaptive_simulation.simulation import SimulatedExaminees, simulate
from domain.adaptive.engine import AdaptiveEngine
from domain.adaptive.errors import InvalidSettingsError


def calibrate_sympson_hetter(
    engine: AdaptiveEngine,
    examinees: SimulatedExaminees,
    *,
    max_exposure: float,
    rounds: int = 8,
    on_round: Callable[[int], None] | None = None,
) -> tuple[float, ...]:
    """Exposure parameters K_i that keep every item's exposure near ``max_exposure``.

    The classic procedure (Sympson & Hetter, 1985): simulate, estimate how often each
    item is selected, ``P(S_i) = P(A_i) / K_i``, and set ``K_i = min(1, r / P(S_i))``;
    repeat until the rates settle. Use examinees other than those the parameters are
    then evaluated on, or the check flatters the calibration. ``on_round(i)`` is called
    after each round, e.g. to move a progress bar.
    """
    if not 0.0 < max_exposure <= 1.0:
        raise InvalidSettingsError("max_exposure must lie in (0, 1]")
    parameters = np.ones(engine.bank.size)
    for done in range(rounds):
        trial = engine.with_settings(
            replace(engine.settings, sympson_hetter=tuple(parameters.tolist()))
        )
        administered_rate = item_exposure(simulate(trial, examinees))
        selected_rate = administered_rate / parameters
        # Items never selected keep K = 1: nothing says they need holding back.
        parameters = np.minimum(1.0, max_exposure / np.maximum(selected_rate, max_exposure))
        if on_round is not None:
            on_round(done)
    return tuple(parameters.tolist())
