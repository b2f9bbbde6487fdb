"""Computerized adaptive testing: IRT model, ability estimation, item selection, stopping.

Pure Python and numpy. ``AdaptiveEngine`` is the entry point; states are plain values
that encode to a few bytes and can be rebuilt by replaying the response history.
"""

from domain.adaptive.bank_generation import generate_bank
from domain.adaptive.eap import eap_estimate, posterior_summary
from domain.adaptive.engine import AdaptiveEngine
from domain.adaptive.errors import (
    AdaptiveError,
    InvalidItemBankError,
    InvalidSettingsError,
    InvalidStateError,
    ItemAlreadyAdministeredError,
    ItemOutOfRangeError,
    UnknownItemError,
)
from domain.adaptive.exposure_calibration import calibrate_sympson_hetter
from domain.adaptive.irt import information, probability, total_information
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.metrics import (
    BandError,
    RatioInterval,
    SimulationMetrics,
    item_exposure,
    paired_rmse_ratio,
    summarize,
)
from domain.adaptive.mle import mle_estimate
from domain.adaptive.quadrature import NormalPrior, QuadratureGrid
from domain.adaptive.replay import replay
from domain.adaptive.settings import AdaptiveSettings
from domain.adaptive.simulation import (
    SimulatedExaminees,
    SimulationResult,
    draw_examinees,
    simulate,
)
from domain.adaptive.state import AdaptiveState
from domain.adaptive.stopping import StopReason

__all__ = [
    "AdaptiveEngine",
    "AdaptiveError",
    "AdaptiveSettings",
    "AdaptiveState",
    "BandError",
    "InvalidItemBankError",
    "InvalidSettingsError",
    "InvalidStateError",
    "ItemAlreadyAdministeredError",
    "ItemBank",
    "ItemOutOfRangeError",
    "NormalPrior",
    "QuadratureGrid",
    "RatioInterval",
    "SimulatedExaminees",
    "SimulationMetrics",
    "SimulationResult",
    "StopReason",
    "UnknownItemError",
    "calibrate_sympson_hetter",
    "draw_examinees",
    "eap_estimate",
    "generate_bank",
    "information",
    "item_exposure",
    "mle_estimate",
    "paired_rmse_ratio",
    "posterior_summary",
    "probability",
    "replay",
    "simulate",
    "summarize",
    "total_information",
]
