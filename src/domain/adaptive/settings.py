"""How the engine selects items, estimates ability and decides to stop."""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from domain.adaptive.classification import SprtRule
from domain.adaptive.errors import InvalidSettingsError
from domain.adaptive.pretest import PretestPlan
from domain.adaptive.quadrature import NormalPrior

# The state stored in Redis (infrastructure/redis/adaptive_codec.py) keeps the test
# length in 16 bits.
MAX_TEST_LENGTH = 65_535
_SEED_LIMIT = 2**63


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineSettings:
    """Everything the engine needs besides the item bank; an exam's `AdaptiveRules` map
    onto a subset of it (`exam_engine`), simulations set the rest.

    ``exposure_k`` is the randomesque group size (1 = pure maximum information);
    ``sympson_hetter`` holds one administration probability per bank item;
    ``content_targets`` maps content areas to their target share of the test.
    ``max_items`` and ``min_items`` count operational items: pretest items come on top.
    """

    max_items: int = 30
    min_items: int = 1
    se_target: float | None = None
    exposure_k: int = 1
    estimator: Literal["eap", "mle"] = "eap"
    prior: NormalPrior = field(default_factory=NormalPrior)
    content_targets: Mapping[str, float] | None = None
    sympson_hetter: tuple[float, ...] | None = None
    seed: int = 0
    # Groups of bank indices of which a test gives at most one item.
    enemies: tuple[tuple[int, ...], ...] = ()
    # Unscored items given at seeded positions; never selected by information.
    pretest: PretestPlan = field(default_factory=PretestPlan)
    # A pass/fail test: SPRT stop instead of the SE target, items chosen at the cut.
    classification: SprtRule | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.min_items <= self.max_items <= MAX_TEST_LENGTH:
            raise InvalidSettingsError(f"need 1 <= min_items <= max_items <= {MAX_TEST_LENGTH}")
        if self.se_target is not None and not (
            math.isfinite(self.se_target) and self.se_target > 0
        ):
            raise InvalidSettingsError("se_target must be a positive number")
        if self.exposure_k < 1:
            raise InvalidSettingsError("exposure_k must be at least 1")
        if self.estimator not in ("eap", "mle"):
            raise InvalidSettingsError("estimator must be 'eap' or 'mle'")
        if not 0 <= self.seed < _SEED_LIMIT:
            raise InvalidSettingsError("seed must be a non-negative 63-bit integer")
        if self.sympson_hetter is not None:
            object.__setattr__(self, "sympson_hetter", tuple(map(float, self.sympson_hetter)))
            if not all(0.0 <= k <= 1.0 for k in self.sympson_hetter):
                raise InvalidSettingsError("Sympson-Hetter parameters must lie in [0, 1]")
        if self.content_targets is not None:
            self._check_content_targets(self.content_targets)
        object.__setattr__(self, "enemies", tuple(tuple(map(int, g)) for g in self.enemies))
        if any(i < 0 for group in self.enemies for i in group):
            raise InvalidSettingsError("enemy items are bank indices")

    def _check_content_targets(self, targets: Mapping[str, float]) -> None:
        shares = dict(targets)
        if not shares or not all(math.isfinite(s) and s > 0 for s in shares.values()):
            raise InvalidSettingsError("content targets must be positive shares")
        if abs(sum(shares.values()) - 1.0) > 1e-6:
            raise InvalidSettingsError("content target shares must sum to 1")
        # A read-only copy, so the caller's dict cannot change a frozen value afterwards.
        object.__setattr__(self, "content_targets", MappingProxyType(shares))
