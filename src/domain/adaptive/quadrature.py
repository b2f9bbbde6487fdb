"""The ability prior and the fixed quadrature grid EAP integrates over."""

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from domain.adaptive.errors import InvalidSettingsError

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True)
class NormalPrior:
    """Normal prior on ability, N(mean, sd²); the population the test was built for."""

    mean: float = 0.0
    sd: float = 1.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.mean):
            raise InvalidSettingsError("prior mean must be finite")
        if not (math.isfinite(self.sd) and self.sd > 0):
            raise InvalidSettingsError("prior sd must be positive")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class QuadratureGrid:
    """Equally spaced ability nodes; 81 nodes over [-4, 4] put one every 0.1 logit.

    Equal spacing makes the trapezoid weights constant inside the range, and the end
    nodes carry negligible posterior mass, so plain sums over the nodes are the integral.
    """

    lower: float = -4.0
    upper: float = 4.0
    points: int = 81
    nodes: FloatArray = field(init=False, repr=False)
    moments: FloatArray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lower) and math.isfinite(self.upper)):
            raise InvalidSettingsError("quadrature bounds must be finite")
        if self.lower >= self.upper or self.points < 3:
            raise InvalidSettingsError("quadrature needs lower < upper and at least 3 points")
        nodes = np.linspace(self.lower, self.upper, self.points)
        # Columns 1, x, x²: one matrix product gives the posterior's mass, mean and
        # second moment together.
        moments = np.column_stack((np.ones_like(nodes), nodes, nodes * nodes))
        nodes.setflags(write=False)
        moments.setflags(write=False)
        object.__setattr__(self, "nodes", nodes)
        object.__setattr__(self, "moments", moments)

    def log_prior(self, prior: NormalPrior) -> FloatArray:
        """Unnormalised log density of ``prior`` at every node."""
        standardised = (self.nodes - prior.mean) / prior.sd
        return np.asarray(-0.5 * standardised * standardised, dtype=np.float64)
