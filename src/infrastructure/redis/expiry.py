"""When an attempt's copies in Redis expire."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.timer import Timer

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


@dataclass(frozen=True, slots=True)
class AttemptExpiry:
    """A copy of an attempt's state outlives the attempt by `margin` after it would be
    finalised (deadline + grace); while paused, when the deadline is unknown, it lives
    `paused_ttl` from its last write."""

    network_grace: timedelta
    margin: timedelta
    paused_ttl: timedelta

    def option(self, timer: Timer) -> tuple[str, int]:
        """SET's expiry option: absolute from the deadline, or relative while paused."""
        if timer.is_paused:
            return "PX", self.paused_ttl // _MILLISECOND
        expires_at = timer.finalises_at(self.network_grace) + self.margin
        return "PXAT", -(-(expires_at - _EPOCH) // _MILLISECOND)  # rounded up
