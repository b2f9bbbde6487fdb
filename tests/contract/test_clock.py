"""Clock: the current time, timezone-aware UTC. (Nothing more is promised: the system
clock may step backwards under NTP, so monotonicity is no part of the contract.)"""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from application.ports import Clock
from infrastructure.clock import SystemClock
from tests.fakes import FakeClock


# No servers behind either clock, so neither side is an integration test.
@pytest.fixture(params=["fake", "real"])
def clock(request: pytest.FixtureRequest) -> Clock:
    return FakeClock() if request.param == "fake" else SystemClock()


def test_now_is_timezone_aware_utc(clock: Clock) -> None:
    now = clock.now()
    assert now.tzinfo is UTC
    assert now.utcoffset() == timedelta(0)
