"""The degradations of this process for GET /metrics: Redis breaker, fallbacks, errors."""

from __future__ import annotations

from infrastructure.faults import FaultCounts
from presentation.api.metrics import Family, labelled_counter

# The guard's path of the shared write-rate check (infrastructure/redis/write_rate.py):
# each of its fallbacks is a decision of the per-process limiter.
WRITE_RATE_PATH = "write rate"


def fault_families(faults: FaultCounts) -> list[Family]:
    """What docs/operations.md's "Failure modes and alarms" explains, one family each."""
    return [
        Family(
            "hourglass_redis_breaker_open",
            "gauge",
            "1 while Redis is skipped after a failure (served from PostgreSQL), else 0.",
            (("", {}, int(faults.redis_breaker_open)),),
        ),
        Family(
            "hourglass_redis_breaker_opened_total",
            "counter",
            "Times the Redis circuit breaker opened.",
            (("", {}, faults.redis_breaker_opened),),
        ),
        labelled_counter(
            "hourglass_redis_fallbacks_total",
            "Redis operations skipped or failed, answered from PostgreSQL or dropped, by path.",
            "path",
            faults.redis_fallbacks,
        ),
        Family(
            "hourglass_write_rate_local_decisions_total",
            "counter",
            "Candidate writes whose rate limit this process decided alone, Redis being "
            "unavailable: meanwhile each process admits the whole rate.",
            (("", {}, faults.redis_fallbacks.get(WRITE_RATE_PATH, 0)),),
        ),
        labelled_counter(
            "hourglass_redis_errors_total",
            "Redis command failures, by exception class.",
            "error",
            faults.redis_errors,
        ),
        labelled_counter(
            "hourglass_postgres_errors_total",
            "PostgreSQL driver failures seen by the adapters, by exception class.",
            "error",
            faults.postgres_errors,
        ),
    ]
