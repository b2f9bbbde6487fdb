"""Monte Carlo studies of adaptive tests: synthetic banks and examinees, simulated tests,
recovery and exposure statistics, and Sympson-Hetter calibration by simulation.

Used by `hourglass simulate`, the adaptive bench and the tests, never by the service:
import-linter keeps domain, application, infrastructure and the API from importing it.
It builds on `domain.adaptive` and nothing else of the service.
"""

from adaptive_simulation.bank_generation import generate_bank
from adaptive_simulation.exposure_calibration import calibrate_sympson_hetter
from adaptive_simulation.metrics import (
    BandError,
    RatioInterval,
    SimulationMetrics,
    item_exposure,
    paired_rmse_ratio,
    summarize,
)
from adaptive_simulation.simulation import (
    SimulatedExaminees,
    SimulationResult,
    draw_examinees,
    simulate,
)

__all__ = [
    "BandError",
    "RatioInterval",
    "SimulatedExaminees",
    "SimulationMetrics",
    "SimulationResult",
    "calibrate_sympson_hetter",
    "draw_examinees",
    "generate_bank",
    "item_exposure",
    "paired_rmse_ratio",
    "simulate",
    "summarize",
]
