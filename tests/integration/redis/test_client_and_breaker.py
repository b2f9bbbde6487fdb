"""The client factory's settings and the circuit breaker's states."""

from __future__ import annotations

import pytest
import redis.asyncio
from redis.utils import HIREDIS_AVAILABLE

from infrastructure.redis import RedisKeys
from infrastructure.redis.breaker import CircuitBreaker
from tests.backend import Backend

pytestmark = pytest.mark.integration


async def test_client_returns_bytes_and_fails_fast(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    key = f"{backend.key_prefix}:client-check"
    await client.set(key, "value", ex=60)
    assert await client.get(key) == b"value"
    await client.delete(key)
    if backend.redis_cluster:
        kwargs = client.get_connection_kwargs()
        assert client.retry.get_retries() == 1  # type: ignore[attr-defined]
    else:
        kwargs = client.connection_pool.connection_kwargs
        assert kwargs["retry"].get_retries() == 1
    assert kwargs["socket_timeout"] == kwargs["socket_connect_timeout"] == 0.5
    assert kwargs["health_check_interval"] == 0
    assert HIREDIS_AVAILABLE


@pytest.mark.parametrize("prefix", ["", "hg{x}", "a}b"])
def test_prefix_cannot_break_the_hash_tag(prefix: str) -> None:
    with pytest.raises(ValueError, match="prefix"):
        RedisKeys(prefix)


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_breaker_skips_during_cool_down_then_lets_one_trial_through() -> None:
    clock = _Clock()
    breaker = CircuitBreaker(cooldown_seconds=2.0, log_every_seconds=10.0, clock=clock)
    assert breaker.allows()
    breaker.failed("get", ConnectionError("refused"))
    assert not breaker.allows()
    clock.now += 2.0
    assert breaker.allows()  # the trial
    assert not breaker.allows()  # others wait for it
    breaker.succeeded()
    assert breaker.allows()
    assert breaker.allows()


def test_breaker_throttles_its_warnings(caplog: pytest.LogCaptureFixture) -> None:
    clock = _Clock()
    breaker = CircuitBreaker(cooldown_seconds=1.0, log_every_seconds=10.0, clock=clock)
    for _ in range(5):
        breaker.failed("get", ConnectionError("refused"))
        clock.now += 1.0
    assert len([r for r in caplog.records if r.levelname == "WARNING"]) == 1
