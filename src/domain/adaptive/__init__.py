"""Computerized adaptive testing: IRT model, ability estimation, item selection, stopping.

Pure Python and numpy. ``AdaptiveEngine`` is the entry point; states are plain values
that can be rebuilt by replaying the response history. Simulation studies live in the
separate ``adaptive_simulation`` package.
"""

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
from domain.adaptive.irt import information, probability, total_information
from domain.adaptive.item_bank import ItemBank
from domain.adaptive.mle import mle_estimate
from domain.adaptive.quadrature import NormalPrior, QuadratureGrid
from domain.adaptive.settings import EngineSettings
from domain.adaptive.state import AdaptiveState
from domain.adaptive.stopping import StopReason

__all__ = [
    "AdaptiveEngine",
    "AdaptiveError",
    "AdaptiveState",
    "EngineSettings",
    "InvalidItemBankError",
    "InvalidSettingsError",
    "InvalidStateError",
    "ItemAlreadyAdministeredError",
    "ItemBank",
    "ItemOutOfRangeError",
    "NormalPrior",
    "QuadratureGrid",
    "StopReason",
    "UnknownItemError",
    "eap_estimate",
    "information",
    "mle_estimate",
    "posterior_summary",
    "probability",
    "total_information",
]
