"""The server-authoritative timer of one attempt."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from domain.errors import (
    AttemptNotPaused,
    AttemptPaused,
    DomainError,
    InvalidAccommodation,
    InvalidExtension,
)

ZERO = timedelta(0)
# One extension at a time is bounded so a typo cannot hand out months.
MAX_EXTENSION = timedelta(days=7)


@dataclass(frozen=True, slots=True, kw_only=True)
class Timer:
    """When an attempt must end, and how much of its time is left at a given moment.

    deadline = min(started_at + duration × time_multiplier + extra_time + extensions
                   + time spent paused, closes_at)

    While paused the deadline moves with the clock, so the remaining time is frozen.
    `grace` is the exam's submission grace after the deadline; answers get the
    server's network grace instead, passed in by the caller.
    """

    started_at: datetime
    duration: timedelta
    time_multiplier: float = 1.0
    extra_time: timedelta = ZERO
    extensions: timedelta = ZERO
    paused_for: timedelta = ZERO
    paused_at: datetime | None = None
    closes_at: datetime | None = None
    grace: timedelta = ZERO
    # Derived once: every read of the timer asks for the deadline several times.
    _deadline: datetime = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.started_at.tzinfo is None:
            raise ValueError("started_at must be timezone-aware")
        if self.duration <= ZERO:
            raise ValueError("duration must be positive")
        if not self.time_multiplier >= 1:  # also refuses NaN
            raise ValueError("time_multiplier must be at least 1")
        if min(self.extra_time, self.paused_for, self.grace) < ZERO:
            raise ValueError("extra time, paused time and grace cannot be negative")
        # Extensions may sum below zero (time taken away), never the working time itself.
        if self.allotted < ZERO:
            raise ValueError("the time allotted cannot be negative")
        if self.paused_at is not None and self.paused_at < self.started_at:
            raise ValueError("an attempt cannot be paused before it started")
        deadline = self._capped(self.started_at + self.allotted + self.paused_for)
        object.__setattr__(self, "_deadline", deadline)

    @property
    def allotted(self) -> timedelta:
        """Working time granted, before the exam window caps it."""
        return self.duration * self.time_multiplier + self.extra_time + self.extensions

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def deadline(self) -> datetime:
        """The deadline as of the last pause or resume (what storage keeps)."""
        return self._deadline

    def deadline_at(self, now: datetime) -> datetime:
        """The deadline seen at `now`: a running pause keeps pushing it back."""
        if self.paused_at is None:
            return self.deadline
        return self._capped(
            self.started_at + self.allotted + self.paused_for + (now - self.paused_at)
        )

    def remaining(self, now: datetime) -> timedelta:
        return max(ZERO, self.deadline_at(now) - now)

    def accepts_answers(self, now: datetime, network_grace: timedelta = ZERO) -> bool:
        return not self.is_paused and now < self.deadline + network_grace

    def is_late_answer(self, now: datetime) -> bool:
        """An answer accepted only thanks to the network grace."""
        return now >= self.deadline

    def accepts_submission(self, now: datetime) -> bool:
        return not self.is_paused and now < self.deadline + self.grace

    def finalises_at(self, network_grace: timedelta = ZERO) -> datetime:
        """When an unsubmitted attempt becomes expired; nothing is accepted from then on."""
        return self.deadline + max(self.grace, network_grace)

    def overdue_at(self, network_grace: timedelta = ZERO) -> datetime | None:
        """When an unsubmitted attempt must be expired; None while paused with no window end.

        A pause stops the attempt's clock, not the exam window: the window's close still ends it.
        """
        if self.paused_at is None:
            return self.finalises_at(network_grace)
        ending = max(self.grace, network_grace)
        return None if self.closes_at is None else self.closes_at + ending

    def is_overdue(self, now: datetime, network_grace: timedelta = ZERO) -> bool:
        overdue_at = self.overdue_at(network_grace)
        return overdue_at is not None and now >= overdue_at

    def time_used(self, now: datetime) -> timedelta:
        """Working time spent up to `now` (pauses excluded), never beyond the deadline."""
        end = min(now, self.deadline_at(now))
        paused = self.paused_for + (now - self.paused_at if self.paused_at else ZERO)
        return max(ZERO, end - self.started_at - paused)

    @property
    def full_time(self) -> timedelta:
        """The whole working time this attempt had, as counted for an expired attempt."""
        # A pause that outlasted the exam window cannot make the working time negative.
        return max(ZERO, self.deadline - self.started_at - self.paused_for)

    def extend(self, by: timedelta, now: datetime | None = None) -> Timer:
        """Move the deadline by `by`; a negative `by` takes time away, but never moves the
        deadline before `now` (required then): it is clamped to the time that is left."""
        if not (by != ZERO and -MAX_EXTENSION <= by <= MAX_EXTENSION):
            raise InvalidExtension("an extension must be non-zero and at most 7 days either way")
        too_long = InvalidExtension("the extension is too long")
        if by < ZERO:
            if now is None:
                raise ValueError("taking time away needs the moment it is taken")
            by = max(by, -self.remaining(now))
        return _on_the_calendar(lambda: replace(self, extensions=self.extensions + by), too_long)

    def time_taken_away(self, by: timedelta, now: datetime) -> timedelta:
        """What a negative extension of `by` really takes at `now` (at most what is left)."""
        return min(-by, self.remaining(now)) if by < ZERO else ZERO

    def running_until(self, deadline: datetime) -> Timer:
        """The timer running again until `deadline`, past the exam window if need be (an
        admin's reopen): the extensions make up the difference, the window no longer caps."""
        uncapped = replace(self, closes_at=None, paused_at=None)
        return replace(uncapped, extensions=self.extensions + deadline - uncapped.deadline)

    def accommodate(self, *, time_multiplier: float, extra_time: timedelta) -> Timer:
        if not time_multiplier >= 1 or extra_time < ZERO:
            raise InvalidAccommodation("need time_multiplier >= 1 and extra time >= 0")
        too_long = InvalidAccommodation("the accommodation is too long")
        return _on_the_calendar(
            lambda: replace(self, time_multiplier=time_multiplier, extra_time=extra_time),
            too_long,
        )

    def pause(self, now: datetime) -> Timer:
        if self.paused_at is not None:
            raise AttemptPaused()
        return replace(self, paused_at=now)

    def resume(self, now: datetime) -> Timer:
        if self.paused_at is None:
            raise AttemptNotPaused()
        return replace(self, paused_at=None, paused_for=self.paused_for + (now - self.paused_at))

    def _capped(self, deadline: datetime) -> datetime:
        if self.closes_at is not None and self.closes_at < deadline:
            return self.closes_at
        return deadline


def _on_the_calendar(change: Callable[[], Timer], too_long: DomainError) -> Timer:
    """The changed timer, or `too_long` if its deadline would fall past the year 9999."""
    try:
        timer = change()
        _ = timer.deadline  # past datetime.max it overflows
    except OverflowError:
        raise too_long from None
    return timer
