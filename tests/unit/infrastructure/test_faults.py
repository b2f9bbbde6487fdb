"""The Redis guard and breaker, and the PostgreSQL translation, count what degraded."""

from __future__ import annotations

import pytest
from redis.exceptions import ConnectionError, ResponseError

from application.errors import StorageUnavailable
from infrastructure.faults import FaultCounts
from infrastructure.postgres.errors import storage_errors
from infrastructure.redis.breaker import CircuitBreaker
from infrastructure.redis.guard import RedisGuard


class ManualClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _guard(faults: FaultCounts, clock: ManualClock) -> RedisGuard:
    breaker = CircuitBreaker(
        cooldown_seconds=2.0, log_every_seconds=10.0, clock=clock, faults=faults
    )
    return RedisGuard(breaker, faults=faults)


async def test_a_failure_opens_the_breaker_and_counts_the_error_and_the_fallback() -> None:
    faults, clock = FaultCounts(), ManualClock()
    guard = _guard(faults, clock)

    async def refused() -> bytes:
        raise ConnectionError("connecting to 127.0.0.1:6379: refused")

    async def answered() -> bytes:
        return b"v"

    assert await guard.call("get", refused, None) is None
    assert (faults.redis_breaker_open, faults.redis_breaker_opened) == (True, 1)
    assert guard.redis_unavailable
    assert await guard.call("due", answered, []) == []  # skipped during the cool-down
    assert faults.redis_errors == {"ConnectionError": 1}
    assert faults.redis_fallbacks == {"hot state read": 1, "deadline index": 1}

    clock.now = 2.0
    assert await guard.call("get", answered, None) == b"v"  # the trial succeeds
    assert not faults.redis_breaker_open
    assert not guard.redis_unavailable
    assert faults.redis_breaker_opened == 1
    assert faults.redis_fallbacks == {"hot state read": 1, "deadline index": 1}


async def test_an_unknown_operation_counts_under_its_own_name() -> None:
    faults, clock = FaultCounts(), ManualClock()

    async def out_of_memory() -> None:
        raise ResponseError("OOM command not allowed")

    await _guard(faults, clock).call("new thing", out_of_memory, None)
    assert faults.redis_fallbacks == {"new thing": 1}
    assert faults.redis_errors == {"ResponseError": 1}


def test_the_breaker_warning_carries_the_error_text(caplog: pytest.LogCaptureFixture) -> None:
    breaker = CircuitBreaker(
        cooldown_seconds=1.0, log_every_seconds=10.0, clock=ManualClock(), faults=FaultCounts()
    )
    breaker.failed("get", ConnectionError("MOVED 3999 127.0.0.1:6381"))
    assert "get: ConnectionError: MOVED 3999 127.0.0.1:6381" in caplog.text


def test_postgres_failures_are_counted_by_the_driver_error_class(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    faults = FaultCounts()
    monkeypatch.setattr("infrastructure.postgres.errors.PROCESS_FAULTS", faults)
    with pytest.raises(StorageUnavailable), storage_errors():
        raise ConnectionRefusedError("refused")
    assert faults.postgres_errors == {"ConnectionRefusedError": 1}
