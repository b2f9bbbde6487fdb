from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from application.identity import Actor
from domain.attempt import Attempt
from domain.errors import AttemptPaused, TimeIsUp
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, BOB, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN


async def answered(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    await services.answer(attempt, "q2", "B")


async def test_submit_scores_and_commits(services: Services, attempt: Attempt) -> None:
    await answered(services, attempt)
    services.clock.advance(10 * MIN)
    result = await services.submit_attempt(query(attempt))
    assert result.status is AttemptStatus.SUBMITTED
    assert (result.score, result.max_score, result.answered, result.correct) == (1, 3, 2, 1)
    assert (result.finished_at, result.time_taken_seconds) == (T0 + 10 * MIN, 600)
    stored = await services.stored(attempt.id)
    assert (stored.status, stored.result) == (AttemptStatus.SUBMITTED, result)
    assert services.hot_state.peek(attempt.id) is None
    assert services.journal[-2:] == ["commit", f"forget {attempt.id}"]


async def test_a_repeat_returns_the_same_result(services: Services, attempt: Attempt) -> None:
    first = await services.submit_attempt(query(attempt))
    services.clock.advance(60 * MIN)
    again = await services.submit_attempt(query(attempt))
    assert again == first
    kinds = [event.kind for event in await services.attempts.events(attempt.id)]
    assert kinds.count(EventKind.SUBMITTED) == 1


async def test_within_grace_is_a_submission(services: Services, attempt: Attempt) -> None:
    services.clock.set(DEADLINE + 29 * SEC)
    result = await services.submit_attempt(query(attempt))
    assert result.status is AttemptStatus.SUBMITTED
    assert result.time_taken_seconds == 30 * 60


async def test_past_deadline_and_grace_time_is_up_with_the_result(
    services: Services, attempt: Attempt
) -> None:
    await answered(services, attempt)
    services.clock.set(DEADLINE + 30 * SEC)
    with pytest.raises(TimeIsUp) as raised:
        await services.submit_attempt(query(attempt))
    result = raised.value.result
    assert result is not None
    assert (result.status, result.score, result.finished_at) == (
        AttemptStatus.EXPIRED,
        1,
        DEADLINE,
    )
    assert result.time_taken_seconds == 30 * 60
    assert (await services.stored(attempt.id)).status is AttemptStatus.EXPIRED


async def test_an_expired_attempt_stays_expired(services: Services, attempt: Attempt) -> None:
    services.clock.set(DEADLINE + 30 * SEC)
    with pytest.raises(TimeIsUp):
        await services.submit_attempt(query(attempt))
    with pytest.raises(TimeIsUp) as raised:
        await services.submit_attempt(query(attempt))
    assert raised.value.result is not None


@pytest.mark.parametrize("actor", [BOB, ADMIN])
async def test_only_the_owner_submits(services: Services, attempt: Attempt, actor: Actor) -> None:
    with pytest.raises(AccessDenied):
        await services.submit_attempt(query(attempt, actor))
    assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS


async def test_a_paused_attempt_cannot_be_submitted(services: Services, attempt: Attempt) -> None:
    await services.admin_change(attempt.id, lambda a: a.pause(reason="alarm", now=T0))
    rollbacks = services.transaction.rollbacks
    with pytest.raises(AttemptPaused):
        await services.submit_attempt(query(attempt))
    assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS
    assert services.transaction.rollbacks == rollbacks + 1  # the row lock is released at once


async def test_works_with_hot_state_down(services: Services, attempt: Attempt) -> None:
    services.hot_state.down = True
    result = await services.submit_attempt(query(attempt))
    assert result.status is AttemptStatus.SUBMITTED
