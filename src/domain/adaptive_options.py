"""The engine options of an adaptive exam beyond test length: estimator, IRT model,
content targets and exposure control, and the checks that tie them to the exam's items.

They live apart from `domain.exam` so that exam definitions stay readable; the adaptive
package maps them onto `EngineSettings` (`domain.adaptive.exam_engine`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from domain.errors import InvalidExamDefinition

# Shares are given as decimals by people: a sum of 0.999999 is meant as 1.
_SHARE_TOLERANCE = 1e-6


class Estimator(StrEnum):
    EAP = "eap"
    MLE = "mle"


class IrtModel(StrEnum):
    """3PL items have no upper asymptote below 1; 4PL items may carry one (`d`)."""

    THREE_PL = "3pl"
    FOUR_PL = "4pl"


class AbilityPrior(StrEnum):
    """Where an attempt's ability estimate starts: N(0, 1), or the candidate's latest
    proficiency on the exam (`domain.proficiency`), N(0, 1) when they have none."""

    STANDARD = "standard"
    CANDIDATE = "candidate"


class ExposureMethod(StrEnum):
    RANDOMESQUE = "randomesque"
    SYMPSON_HETTER = "sympson_hetter"


@dataclass(frozen=True, slots=True, kw_only=True)
class ExposureRule:
    """How often an item may be shown.

    Randomesque draws among the `k` most informative items. Sympson-Hetter gives item i
    with probability `parameters[i]` when selected; the parameters are computed by
    simulation (`hourglass simulate --calibrate-exposure`) for the target rate `r_max`,
    since the service never runs simulations. Items without a parameter are never held
    back (K = 1).
    """

    method: ExposureMethod
    k: int = 1
    r_max: float | None = None
    parameters: Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        if self.k < 1:
            raise InvalidExamDefinition("adaptive.exposure: k must be at least 1")
        if self.r_max is not None and not 0 < self.r_max <= 1:
            raise InvalidExamDefinition("adaptive.exposure: r_max must lie in (0, 1]")
        if self.method is ExposureMethod.SYMPSON_HETTER:
            if self.parameters is None or self.r_max is None:
                raise InvalidExamDefinition(
                    "adaptive.exposure: sympson_hetter needs r_max and the parameters "
                    "computed for it (hourglass simulate --calibrate-exposure)"
                )
            values = dict(self.parameters)
            if not all(math.isfinite(v) and 0 <= v <= 1 for v in values.values()):
                raise InvalidExamDefinition("adaptive.exposure: parameters must lie in [0, 1]")
            object.__setattr__(self, "parameters", MappingProxyType(values))
        elif self.parameters is not None:
            raise InvalidExamDefinition("adaptive.exposure: parameters are for sympson_hetter")

    def parameters_for(self, item_ids: Iterable[str]) -> tuple[float, ...] | None:
        """One Sympson-Hetter parameter per item in bank order, or None for randomesque."""
        if self.parameters is None:
            return None
        return tuple(self.parameters.get(item_id, 1.0) for item_id in item_ids)


def frozen_shares(targets: Mapping[str, float] | None) -> Mapping[str, float] | None:
    """Content targets checked and copied read-only: positive shares summing to 1."""
    if targets is None:
        return None
    shares = dict(targets)
    if not shares or not all(math.isfinite(s) and s > 0 for s in shares.values()):
        raise InvalidExamDefinition("adaptive.content_targets: shares must be positive")
    if abs(sum(shares.values()) - 1.0) > _SHARE_TOLERANCE:
        raise InvalidExamDefinition("adaptive.content_targets: shares must sum to 1")
    return MappingProxyType(shares)


def check_against_items(
    *,
    model: IrtModel,
    content_targets: Mapping[str, float] | None,
    exposure: ExposureRule | None,
    upper_asymptotes: Mapping[str, float],
    content_areas: Iterable[str | None],
    enemies: Iterable[tuple[str, ...]] = (),
) -> None:
    """Refuse options that name items or areas the exam lacks, or 4PL items in a 3PL exam."""
    if model is IrtModel.THREE_PL and any(d != 1.0 for d in upper_asymptotes.values()):
        raise InvalidExamDefinition("adaptive: irt.d below 1 needs model '4pl'")
    if content_targets is not None:
        missing = set(content_targets) - {area for area in content_areas if area}
        if missing:
            raise InvalidExamDefinition(
                f"adaptive.content_targets: no question in areas {sorted(missing)}"
            )
    for group in enemies:
        if len(set(group)) != len(group) or len(group) < 2:
            raise InvalidExamDefinition("adaptive.enemies: a group names 2 or more items once")
        if not set(group) <= upper_asymptotes.keys():
            raise InvalidExamDefinition(f"adaptive.enemies: unknown items in {list(group)}")
    if exposure is not None and exposure.parameters is not None:
        unknown = set(exposure.parameters) - set(upper_asymptotes)
        if unknown:
            raise InvalidExamDefinition(
                f"adaptive.exposure: parameters for unknown items {sorted(unknown)[:5]}"
            )
