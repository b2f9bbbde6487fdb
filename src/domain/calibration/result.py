"""What a calibration returns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from domain.calibration.settings import ItemModel

FloatArray = NDArray[np.float64]


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Calibration:
    """Item parameters in column order of the response matrix, with their standard
    errors; ``c`` is 0 for the 2PL. ``log_likelihood`` is the marginal log-likelihood
    of the responses at these parameters (without the priors)."""

    model: ItemModel
    item_ids: tuple[str, ...]
    a: FloatArray
    b: FloatArray
    c: FloatArray
    se_a: FloatArray
    se_b: FloatArray
    log_likelihood: float
    iterations: int
    converged: bool

    def items(self) -> list[dict[str, str | float | None]]:
        """One record per item, ``{id, a, b, c, se_a, se_b}``; an SE that the information
        could not give is None."""
        return [
            {
                "id": item_id,
                "a": float(a),
                "b": float(b),
                "c": float(c),
                "se_a": None if np.isnan(se_a) else float(se_a),
                "se_b": None if np.isnan(se_b) else float(se_b),
            }
            for item_id, a, b, c, se_a, se_b in zip(
                self.item_ids, self.a, self.b, self.c, self.se_a, self.se_b, strict=True
            )
        ]
