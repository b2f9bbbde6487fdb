"""The write-rate limit one process keeps by itself: the fallback while Redis is away."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice

from application.ports import ADMITTED, WriteAdmission, WriteRateLimit


@dataclass(frozen=True, slots=True)
class WriteRate:
    """`per_second` writes sustained, and `burst` at once from rest.

    Both limiters use the generic cell rate algorithm (GCRA): one number per candidate,
    the time at which their writes so far would have drained at the sustained rate. A
    write is admitted while that time lies at most `tolerance` ahead of now.
    """

    per_second: float
    burst: int

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError(f"a write rate needs a positive rate and burst: {self}")

    @property
    def interval(self) -> float:
        """Seconds one write adds to the candidate's drain time."""
        return 1.0 / self.per_second

    @property
    def tolerance(self) -> float:
        """How far ahead the drain time may be for a write to pass: `burst` writes at once."""
        return (self.burst - 1) * self.interval


class LocalWriteRateLimit:
    """GCRA in this process's memory. Candidates are kept in order of their last write
    and forgotten once their drain time has passed (they are then as if never seen), so
    memory follows the candidates writing in the last few seconds, and never holds more
    than `remembered` of them."""

    def __init__(
        self,
        rate: WriteRate,
        *,
        remembered: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._remembered = remembered
        self._interval = rate.interval
        self._tolerance = rate.tolerance
        self._clock = clock
        self._drained_at: dict[str, float] = {}

    async def admit(self, candidate_id: str) -> WriteAdmission:
        return self.admit_now(candidate_id)

    def admit_now(self, candidate_id: str) -> WriteAdmission:
        now = self._clock()
        drained_at = max(self._drained_at.pop(candidate_id, now), now)
        wait = drained_at - now - self._tolerance
        admitted = wait <= 0
        self._drained_at[candidate_id] = drained_at + self._interval if admitted else drained_at
        self._forget_drained(now)
        return ADMITTED if admitted else WriteAdmission(admitted=False, retry_after_seconds=wait)

    def _forget_drained(self, now: float) -> None:
        # A few from the front per write: each write adds at most one entry, so this keeps
        # pace without ever walking the whole table.
        drained = []
        for candidate_id, drained_at in islice(self._drained_at.items(), 4):
            if drained_at > now:
                break
            drained.append(candidate_id)
        for candidate_id in drained:
            del self._drained_at[candidate_id]
        if len(self._drained_at) > self._remembered:  # a flood of candidates: the least recent
            del self._drained_at[next(iter(self._drained_at))]  # is let off lightly

    def __len__(self) -> int:
        return len(self._drained_at)


_: type[WriteRateLimit] = LocalWriteRateLimit
