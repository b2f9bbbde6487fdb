"""A small circuit breaker, so a dead Redis costs requests nothing after the first failure."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from infrastructure.faults import PROCESS_FAULTS, FaultCounts

logger = logging.getLogger(__name__)


class CircuitBreaker:
    """Skips Redis for `cooldown_seconds` after a failure; app-scoped and shared by requests.

    Without it every request would wait for the connect or read timeout while Redis is
    down. When the cool-down ends, one caller is let through as a trial and the others
    keep skipping until it succeeds or the next cool-down ends. It relies on asyncio's
    single thread, so no lock is needed. Warnings are throttled to one per
    `log_every_seconds`, so an outage does not flood the log; each says how many failures
    it stands for. Its state is published in `faults` for GET /metrics.
    """

    def __init__(
        self,
        *,
        cooldown_seconds: float,
        log_every_seconds: float,
        clock: Callable[[], float] = time.monotonic,
        faults: FaultCounts = PROCESS_FAULTS,
    ) -> None:
        self._cooldown = cooldown_seconds
        self._log_every = log_every_seconds
        self._clock = clock
        self._faults = faults
        self._failing = False
        self._closed_after = 0.0
        self._next_log = 0.0
        self._unlogged = 0

    @property
    def is_open(self) -> bool:
        """Whether Redis failed last: callers are served from PostgreSQL until a trial
        succeeds (the sweeper reads this to reconcile from PostgreSQL every pass)."""
        return self._failing

    def allows(self) -> bool:
        """Whether to try Redis now."""
        if not self._failing:
            return True
        now = self._clock()
        if now < self._closed_after:
            return False
        # This caller is the trial; hold the others back for another cool-down.
        self._closed_after = now + self._cooldown
        return True

    def succeeded(self) -> None:
        if self._failing:
            logger.info("redis is back after %d more failures", self._unlogged)
            self._failing = False
            self._unlogged = 0
            self._faults.breaker_changed(open_now=False)

    def failed(self, operation: str, error: BaseException) -> None:
        now = self._clock()
        self._failing = True
        self._faults.breaker_changed(open_now=True)
        self._closed_after = now + self._cooldown
        if now < self._next_log:
            self._unlogged += 1
            return
        self._next_log = now + self._log_every
        logger.warning(
            "redis unavailable (%s: %s: %s; %d more failures since the last warning); "
            "serving from PostgreSQL, retry in %.1fs",
            operation,
            type(error).__name__,
            error,
            self._unlogged,
            self._cooldown,
        )
        self._unlogged = 0
