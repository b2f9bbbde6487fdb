"""SweeperLog: the latest pass and running totals, as plain values, for any process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from application.ports import SweeperLog, SweepReport
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.sweeper_log import RedisSweeperLog
from tests.contract.conftest import SIDES
from tests.fakes import InMemorySweeperLog

T0 = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)


@pytest.fixture(params=SIDES)
def log(request: pytest.FixtureRequest) -> SweeperLog:
    """An empty log: the real one under a key prefix of this test's own."""
    if request.param == "fake":
        return InMemorySweeperLog()
    return RedisSweeperLog(
        request.getfixturevalue("redis_client"),
        prefix=request.getfixturevalue("redis_prefix"),
        guard=RedisGuard(),
    )


@pytest.fixture(params=SIDES)
def unreachable(request: pytest.FixtureRequest) -> SweeperLog:
    if request.param == "fake":
        log = InMemorySweeperLog()
        log.down = True
        return log
    client = request.getfixturevalue("unreachable_redis")
    return RedisSweeperLog(client, prefix="hgcontract", guard=RedisGuard())


def report(started_at: datetime, seconds: float, lags: tuple[float, ...]) -> SweepReport:
    return SweepReport(
        started_at=started_at,
        finished_at=started_at + timedelta(seconds=seconds),
        expired=tuple(uuid4() for _ in lags),
        lags_seconds=lags,
        sources=("index",),
    )


async def test_nothing_is_known_before_the_first_pass(log: SweeperLog) -> None:
    assert await log.latest() == {}


async def test_the_latest_pass_and_the_running_totals(log: SweeperLog) -> None:
    await log.record(report(T0, 0.25, (1.5, 0.125, 3.0)))
    await log.record(report(T0 + timedelta(seconds=1), 2.0, ()))
    await log.record(report(T0 + timedelta(seconds=2), 0.5, (0.75,)))

    latest = await log.latest()

    assert latest == {
        "last_started_at": "2030-05-01T09:00:02+00:00",
        "last_finished_at": "2030-05-01T09:00:02.500000+00:00",
        "last_duration_seconds": 0.5,
        "last_expired": 1,
        "last_max_lag_seconds": 0.75,
        "passes": 3,
        "total_expired": 4,
    }
    # Counts stay integers and durations floats, whatever the store keeps them as.
    assert {key: type(value) for key, value in latest.items()} == {
        "last_started_at": str,
        "last_finished_at": str,
        "last_duration_seconds": float,
        "last_expired": int,
        "last_max_lag_seconds": float,
        "passes": int,
        "total_expired": int,
    }


async def test_a_pass_that_expired_nothing_has_no_lag(log: SweeperLog) -> None:
    await log.record(report(T0, 1.0, ()))

    latest = await log.latest()

    assert (latest["last_expired"], latest["last_max_lag_seconds"]) == (0, 0.0)
    assert type(latest["last_duration_seconds"]) is float


async def test_an_unreachable_log_records_nothing_without_an_error(
    unreachable: SweeperLog,
) -> None:
    await unreachable.record(report(T0, 0.25, (1.5,)))
    assert await unreachable.latest() == {}
