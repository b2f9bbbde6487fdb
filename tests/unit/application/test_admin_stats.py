from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from domain.exam import Exam
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, query
from tests.fakes.clock import T0

OVERDUE = T0 + timedelta(minutes=30, seconds=30)


async def test_counts_attempts_in_progress(services: Services, exam: Exam) -> None:
    alice = await services.started(exam, ALICE)
    await services.started(exam, BOB)
    await services.submit_attempt(query(alice))
    stats = await services.get_admin_stats(ADMIN)
    assert stats.active_attempts == 1
    assert stats.redis == {"keys": 1, "scheduled_attempts": 1}
    assert stats.sweeper == {}


async def test_reports_the_latest_sweeper_pass(services: Services, exam: Exam) -> None:
    await services.started(exam, ALICE)
    await services.started(exam, BOB)
    services.clock.set(OVERDUE + timedelta(seconds=0.25))
    await services.sweep()
    stats = await services.get_admin_stats(ADMIN)
    assert stats.active_attempts == 0
    assert stats.redis["scheduled_attempts"] == 0
    assert stats.sweeper["last_expired"] == 2
    assert stats.sweeper["last_max_lag_seconds"] == 0.25
    assert stats.sweeper["total_expired"] == 2


async def test_still_answers_with_redis_down(services: Services, exam: Exam) -> None:
    await services.started(exam)
    services.hot_state.down = True
    services.deadline_index.down = True
    stats = await services.get_admin_stats(ADMIN)
    assert stats.active_attempts == 1
    assert stats.redis == {"scheduled_attempts": 0}


async def test_only_an_admin_sees_them(services: Services) -> None:
    with pytest.raises(AccessDenied):
        await services.get_admin_stats(ALICE)
