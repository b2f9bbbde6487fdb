"""A clock that moves only when a test tells it to."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from application.ports import Clock

T0 = datetime(2030, 1, 7, 9, 0, tzinfo=UTC)


class FakeClock(Clock):
    """Starts at `start` (a fixed aware UTC time) and stands still between moves."""

    def __init__(self, start: datetime = T0) -> None:
        self._now = _aware(start)

    def now(self) -> datetime:
        return self._now

    def advance(self, by: float | timedelta) -> datetime:
        """Move forward by seconds or a timedelta; returns the new time."""
        step = by if isinstance(by, timedelta) else timedelta(seconds=by)
        if step < timedelta(0):
            raise ValueError("a clock does not run backwards; use set() to travel")
        self._now += step
        return self._now

    def set(self, when: datetime) -> None:
        self._now = _aware(when)


def _aware(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError("the clock keeps timezone-aware time")
    return when.astimezone(UTC)
