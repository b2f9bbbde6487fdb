"""When a webhook delivery that failed is tried again, and when it is given up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True, kw_only=True)
class RetrySchedule:
    """Exponential backoff: `base`, 2 x base, 4 x base ... capped at `cap`, until the
    delivery's give-up time (its creation + the retry window, 24 h by default)."""

    base: timedelta
    cap: timedelta

    def next_attempt(
        self, attempts_made: int, now: datetime, give_up_at: datetime
    ) -> datetime | None:
        """When to try again after `attempts_made` failed tries; None: give up (failed)."""
        exponent = min(max(attempts_made - 1, 0), 40)  # 2**40 x base is past any cap
        delay = min(self.base * (2**exponent), self.cap)
        at = now + delay
        return None if at > give_up_at else at
