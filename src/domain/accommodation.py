"""Extra time a candidate is entitled to, per exam."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from domain.errors import InvalidAccommodation


@dataclass(frozen=True, slots=True, kw_only=True)
class Accommodation:
    """The exam's duration × `time_multiplier`, plus `extra_time`, for one candidate."""

    reason: str
    time_multiplier: float = 1.0
    extra_time: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.time_multiplier) and self.time_multiplier >= 1):
            raise InvalidAccommodation("time_multiplier must be a number of at least 1")
        if self.extra_time < timedelta(0):
            raise InvalidAccommodation("extra_seconds cannot be negative")
        if not self.reason.strip():
            raise InvalidAccommodation("an accommodation needs a reason")
