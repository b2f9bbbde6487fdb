from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from application.errors import AccessDenied
from domain.attempt import Attempt
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, BOB, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN


async def test_remaining_time_deadline_and_server_time(
    services: Services, attempt: Attempt
) -> None:
    services.clock.advance(12 * MIN)
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.status is AttemptStatus.IN_PROGRESS
    assert remaining.remaining == 18 * MIN
    assert remaining.deadline == DEADLINE
    assert remaining.server_time == T0 + 12 * MIN
    assert not remaining.paused


async def test_an_admin_may_ask(services: Services, attempt: Attempt) -> None:
    assert (await services.get_remaining_time(query(attempt, ADMIN))).remaining == 30 * MIN


async def test_another_candidate_may_not(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await services.get_remaining_time(query(attempt, BOB))


async def test_served_from_hot_state_when_present(services: Services, attempt: Attempt) -> None:
    hot = services.hot_state.peek(attempt.id)
    assert hot is not None
    services.hot_state.plant(replace(hot, timer=hot.timer.extend(5 * MIN)))
    reads = services.hot_state.reads
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.remaining == 35 * MIN
    assert services.hot_state.reads == reads + 1


async def test_a_hot_state_miss_reads_the_repository_and_refills(
    services: Services, attempt: Attempt
) -> None:
    services.hot_state.evict(attempt.id)
    assert (await services.get_remaining_time(query(attempt))).remaining == 30 * MIN
    assert services.hot_state.peek(attempt.id) is not None


async def test_falls_back_to_the_repository_when_hot_state_is_down(
    services: Services, attempt: Attempt
) -> None:
    await services.admin_change(
        attempt.id,
        lambda stored: stored.extend(10 * MIN, reason="power cut", now=T0),
        refresh_hot_state=False,
    )
    services.hot_state.down = True
    services.clock.advance(MIN)
    assert (await services.get_remaining_time(query(attempt))).remaining == 39 * MIN


async def test_frozen_while_paused(services: Services, attempt: Attempt) -> None:
    services.clock.advance(10 * MIN)
    await services.admin_change(
        attempt.id, lambda stored: stored.pause(reason="fire alarm", now=T0 + 10 * MIN)
    )
    services.clock.advance(60 * MIN)
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.paused
    assert remaining.status is AttemptStatus.IN_PROGRESS
    assert remaining.remaining == 20 * MIN
    assert remaining.deadline == T0 + 90 * MIN


async def test_zero_but_in_progress_during_grace(services: Services, attempt: Attempt) -> None:
    services.clock.set(DEADLINE + 10 * SEC)
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.status is AttemptStatus.IN_PROGRESS
    assert remaining.remaining == timedelta(0)


async def test_an_overdue_attempt_is_expired_on_read(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    services.clock.set(DEADLINE + 30 * SEC)
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.status is AttemptStatus.EXPIRED
    assert remaining.remaining == timedelta(0)
    stored = await services.stored(attempt.id)
    assert stored.status is AttemptStatus.EXPIRED
    assert stored.result is not None
    assert stored.result.score == 1


async def test_a_submitted_attempt_has_no_time_left(services: Services, attempt: Attempt) -> None:
    await services.submit_attempt(query(attempt))
    remaining = await services.get_remaining_time(query(attempt))
    assert remaining.status is AttemptStatus.SUBMITTED
    assert remaining.remaining == timedelta(0)
