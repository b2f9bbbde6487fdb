"""The per-process write-rate limit, on a clock the test moves."""

from __future__ import annotations

import pytest

from infrastructure.local_write_rate import LocalWriteRateLimit, WriteRate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _limit(per_second: float = 2.0, burst: int = 3) -> tuple[LocalWriteRateLimit, Clock]:
    clock = Clock()
    return LocalWriteRateLimit(WriteRate(per_second=per_second, burst=burst), clock=clock), clock


def test_a_burst_passes_at_once_and_the_next_write_waits_one_interval() -> None:
    limit, _ = _limit(per_second=2.0, burst=3)
    assert [limit.admit_now("ann").admitted for _ in range(3)] == [True, True, True]
    refused = limit.admit_now("ann")
    assert not refused.admitted
    assert refused.retry_after_seconds == pytest.approx(0.5)


def test_the_sustained_rate_refills_the_burst() -> None:
    limit, clock = _limit(per_second=2.0, burst=3)
    for _ in range(3):
        assert limit.admit_now("ann").admitted
    clock.now += 0.5  # one interval: room for exactly one more
    assert limit.admit_now("ann").admitted
    assert not limit.admit_now("ann").admitted
    clock.now += 10  # long rest: a whole burst again, not more
    assert [limit.admit_now("ann").admitted for _ in range(4)] == [True, True, True, False]


def test_a_refused_write_does_not_count() -> None:
    limit, clock = _limit(per_second=1.0, burst=1)
    assert limit.admit_now("ann").admitted
    for _ in range(50):  # hammering while refused does not push the wait further out
        assert limit.admit_now("ann").retry_after_seconds == pytest.approx(1.0)
    clock.now += 1.0
    assert limit.admit_now("ann").admitted


def test_candidates_are_limited_apart() -> None:
    limit, _ = _limit(per_second=1.0, burst=2)
    assert [limit.admit_now("ann").admitted for _ in range(3)] == [True, True, False]
    assert [limit.admit_now("bob").admitted for _ in range(3)] == [True, True, False]


def test_memory_follows_the_candidates_writing_now() -> None:
    limit, clock = _limit(per_second=10.0, burst=2)
    for n in range(1000):
        limit.admit_now(f"cand-{n}")
        clock.now += 0.01
    # Each candidate's one write drains in 0.1 s: only the last ~10 are remembered.
    assert len(limit) <= 20


def test_never_more_than_remembered_candidates() -> None:
    clock = Clock()
    limit = LocalWriteRateLimit(WriteRate(per_second=0.1, burst=1), remembered=50, clock=clock)
    for n in range(500):  # all still draining: none can be forgotten for being done
        assert limit.admit_now(f"cand-{n}").admitted
    assert len(limit) == 50


async def test_the_port_method_admits_as_the_sync_one() -> None:
    limit, _ = _limit(per_second=1.0, burst=1)
    assert (await limit.admit("ann")).admitted
    assert not (await limit.admit("ann")).admitted


@pytest.mark.parametrize(("per_second", "burst"), [(0.0, 5), (-1.0, 5), (5.0, 0)])
def test_a_rate_needs_a_positive_rate_and_burst(per_second: float, burst: int) -> None:
    with pytest.raises(ValueError, match="positive"):
        WriteRate(per_second=per_second, burst=burst)
