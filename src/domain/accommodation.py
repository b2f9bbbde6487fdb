"""Extra time a candidate is entitled to, per exam."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from domain.errors import InvalidAccommodation
from domain.exam import Exam

# Generous bounds that still catch typos (a multiplier of 150 for 1.5) and keep deadlines
# on the calendar.
MAX_TIME_MULTIPLIER = 10.0
MAX_EXTRA_TIME = timedelta(days=7)
MAX_EXTRA_ATTEMPTS = 100


@dataclass(frozen=True, slots=True, kw_only=True)
class Accommodation:
    """The exam's duration × `time_multiplier`, plus `extra_time`, for one candidate; and,
    where set, the candidate's own window (`opens_at`, `closes_at`) and `extra_attempts`
    beyond the exam's `max_attempts`. The window and attempts apply when an attempt starts."""

    reason: str
    time_multiplier: float = 1.0
    extra_time: timedelta = timedelta(0)
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    extra_attempts: int = 0

    def __post_init__(self) -> None:
        multiplier = self.time_multiplier
        if not (math.isfinite(multiplier) and 1 <= multiplier <= MAX_TIME_MULTIPLIER):
            raise InvalidAccommodation(f"time_multiplier must be from 1 to {MAX_TIME_MULTIPLIER:g}")
        if not timedelta(0) <= self.extra_time <= MAX_EXTRA_TIME:
            raise InvalidAccommodation("extra_seconds must be from 0 to 7 days")
        if not self.reason.strip():
            raise InvalidAccommodation("an accommodation needs a reason")
        if any(
            when is not None and when.tzinfo is None for when in (self.opens_at, self.closes_at)
        ):
            raise InvalidAccommodation("opens_at and closes_at must be timezone-aware")
        if self.opens_at and self.closes_at and self.opens_at >= self.closes_at:
            raise InvalidAccommodation("opens_at must be before closes_at")
        if not 0 <= self.extra_attempts <= MAX_EXTRA_ATTEMPTS:
            raise InvalidAccommodation(f"extra_attempts must be from 0 to {MAX_EXTRA_ATTEMPTS}")

    def exam_for_candidate(self, exam: Exam) -> Exam:
        """The exam as this candidate takes it: their own window where set (each end
        replaces the exam's), and their extra attempts."""
        if self.opens_at is None and self.closes_at is None and not self.extra_attempts:
            return exam
        opens_at = self.opens_at if self.opens_at is not None else exam.opens_at
        closes_at = self.closes_at if self.closes_at is not None else exam.closes_at
        if opens_at and closes_at and opens_at >= closes_at:
            raise InvalidAccommodation("the candidate's window would close before it opens")
        return replace(
            exam,
            opens_at=opens_at,
            closes_at=closes_at,
            max_attempts=exam.max_attempts + self.extra_attempts,
        )
