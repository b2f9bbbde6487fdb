"""Extra time a candidate is entitled to, per exam."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from domain.errors import InvalidAccommodation

# Generous bounds that still catch typos (a multiplier of 150 for 1.5) and keep deadlines
# on the calendar.
MAX_TIME_MULTIPLIER = 10.0
MAX_EXTRA_TIME = timedelta(days=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class Accommodation:
    """The exam's duration × `time_multiplier`, plus `extra_time`, for one candidate."""

    reason: str
    time_multiplier: float = 1.0
    extra_time: timedelta = timedelta(0)

    def __post_init__(self) -> None:
        multiplier = self.time_multiplier
        if not (math.isfinite(multiplier) and 1 <= multiplier <= MAX_TIME_MULTIPLIER):
            raise InvalidAccommodation(f"time_multiplier must be from 1 to {MAX_TIME_MULTIPLIER:g}")
        if not timedelta(0) <= self.extra_time <= MAX_EXTRA_TIME:
            raise InvalidAccommodation("extra_seconds must be from 0 to 7 days")
        if not self.reason.strip():
            raise InvalidAccommodation("an accommodation needs a reason")
