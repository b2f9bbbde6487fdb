"""What a calibration fits and how: the item model, the priors, the EM's limits."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

from domain.calibration.errors import CalibrationError


class ItemModel(enum.StrEnum):
    """2PL fits a and b; 3PL also the lower asymptote c (guessing)."""

    TWO_PL = "2pl"
    THREE_PL = "3pl"


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemPriors:
    """Priors that keep the EM's estimates finite; None leaves a parameter unpenalised.

    The slope prior is normal on log a, so a stays positive and its mode is exp(mean).
    The guessing prior is Beta(alpha, beta) on c; Beta(5, 17) is BILOG-MG's default for
    items with about five options (mean 0.2 plus a little).
    """

    log_slope_mean: float = 0.0
    log_slope_sd: float | None = 1.0
    difficulty_sd: float | None = 4.0
    guessing_alpha: float = 5.0
    guessing_beta: float = 17.0

    def __post_init__(self) -> None:
        for name in ("log_slope_sd", "difficulty_sd"):
            sd = getattr(self, name)
            if sd is not None and not (math.isfinite(sd) and sd > 0):
                raise CalibrationError(f"{name} must be positive")
        # Both above 1 so the prior's density vanishes at 0 and 1: c stays strictly inside.
        if not (self.guessing_alpha > 1 and self.guessing_beta > 1):
            raise CalibrationError("the Beta prior on c needs alpha > 1 and beta > 1")

    @classmethod
    def none(cls) -> ItemPriors:
        """No penalty on a or b: the plain marginal maximum likelihood (c keeps its Beta)."""
        return cls(log_slope_sd=None, difficulty_sd=None)


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationSettings:
    """The EM stops when no parameter moved more than ``tolerance`` in an iteration, or
    after ``max_iterations``. The ability distribution is fixed at N(0, 1), which sets the
    scale, on ``quadrature_points`` equally spaced nodes over ±``quadrature_bound``."""

    model: ItemModel = ItemModel.TWO_PL
    max_iterations: int = 500
    tolerance: float = 1e-4
    quadrature_points: int = 41
    quadrature_bound: float = 5.0
    priors: ItemPriors = field(default_factory=ItemPriors)

    def __post_init__(self) -> None:
        if self.max_iterations < 1:
            raise CalibrationError("max_iterations must be at least 1")
        if not (math.isfinite(self.tolerance) and self.tolerance > 0):
            raise CalibrationError("tolerance must be positive")
        if self.quadrature_points < 5 or not self.quadrature_bound > 0:
            raise CalibrationError("the quadrature needs 5 points or more over a positive bound")
