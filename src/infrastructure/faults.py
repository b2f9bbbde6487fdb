"""What this process's adapters have degraded to: Redis fallbacks and storage errors.

One instance per process (`PROCESS_FAULTS`), like a Prometheus default registry: the
PostgreSQL error translation is a stateless context manager used by every adapter, and
each process is scraped on its own, so a per-process tally is what /metrics must show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# What a failed or skipped Redis operation falls back to, by the guard's operation name.
# An unknown name counts under itself, so a new adapter is still visible.
FALLBACK_PATHS = {
    "get": "hot state read",
    "put": "hot state write",
    "forget": "hot state write",
    "drop": "hot state write",
    "stats": "admin stats",
    "schedule": "deadline index",
    "unschedule": "deadline index",
    "due": "deadline index",
    "size": "deadline index",
    "publish": "live updates",
    "subscribe": "live updates",
    "cat get": "adaptive state read",
    "cat put": "adaptive state write",
    "cat forget": "adaptive state write",
    "sweeper log": "sweeper log",
}


@dataclass(slots=True)
class FaultCounts:
    """Counters read by GET /metrics; updated by the Redis guard and PostgreSQL adapters."""

    redis_fallbacks: Counter[str] = field(default_factory=Counter)
    redis_errors: Counter[str] = field(default_factory=Counter)
    postgres_errors: Counter[str] = field(default_factory=Counter)
    redis_breaker_open: bool = False
    redis_breaker_opened: int = 0

    def fell_back(self, operation: str) -> None:
        self.redis_fallbacks[FALLBACK_PATHS.get(operation, operation)] += 1

    def redis_failed(self, error: BaseException) -> None:
        self.redis_errors[type(error).__name__] += 1

    def postgres_failed(self, error: BaseException) -> None:
        self.postgres_errors[type(error).__name__] += 1

    def breaker_changed(self, *, open_now: bool) -> None:
        if open_now and not self.redis_breaker_open:
            self.redis_breaker_opened += 1
        self.redis_breaker_open = open_now


PROCESS_FAULTS = FaultCounts()
