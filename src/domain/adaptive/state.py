"""The per-examinee state of an adaptive test."""

import math
from dataclasses import dataclass, field

from domain.adaptive.errors import InvalidStateError
from domain.adaptive.irt import FloatArray
from domain.adaptive.stopping import StopReason

_SEED_LIMIT = 2**64


@dataclass(frozen=True, slots=True, kw_only=True)
class AdaptiveState:
    """Administered items (bank indices, in order), responses, ability estimate and SE.

    ``attempt_seed`` individualises exposure-control randomness per attempt; together with
    the exam seed and the test length it fixes every random draw, so a replay repeats
    every pick. ``log_posterior`` is a derived cache of the EAP grid: it is not compared,
    and is rebuilt from the responses when missing.
    """

    administered: tuple[int, ...] = ()
    responses: tuple[bool, ...] = ()
    theta: float
    se: float
    stop_reason: StopReason | None = None
    attempt_seed: int = 0
    log_posterior: FloatArray | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.administered) != len(self.responses):
            raise InvalidStateError("every administered item needs exactly one response")
        if len(set(self.administered)) != len(self.administered):
            raise InvalidStateError("an item appears twice in the administered items")
        if not math.isfinite(self.theta) or not self.se >= 0.0:
            raise InvalidStateError("theta must be finite and se non-negative")
        if not 0 <= self.attempt_seed < _SEED_LIMIT:
            raise InvalidStateError("attempt_seed must be an unsigned 64-bit integer")

    @property
    def items_administered(self) -> int:
        """Test length so far."""
        return len(self.administered)

    @property
    def finished(self) -> bool:
        """Whether a stopping rule has fired."""
        return self.stop_reason is not None
