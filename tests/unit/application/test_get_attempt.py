from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import AccessDenied, AttemptNotFound
from application.use_cases.read_attempt import AttemptQuery
from domain.attempt import Attempt
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, ALICE, BOB, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
DEADLINE = T0 + 30 * MIN


async def test_the_owner_reads_the_attempt_with_answers(
    services: Services, attempt: Attempt
) -> None:
    await services.answer(attempt, "q2", "B")
    services.clock.advance(MIN)
    view = await services.get_attempt(query(attempt))
    assert view.attempt.id == attempt.id
    assert view.attempt.answers == {"q2": "B"}
    assert view.attempt.version == 1
    assert view.server_time == T0 + MIN


async def test_an_admin_reads_any_attempt(services: Services, attempt: Attempt) -> None:
    assert (await services.get_attempt(query(attempt, ADMIN))).attempt.id == attempt.id


async def test_another_candidate_may_not(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await services.get_attempt(query(attempt, BOB))


async def test_an_unknown_attempt(services: Services) -> None:
    with pytest.raises(AttemptNotFound):
        await services.get_attempt(AttemptQuery(actor=ALICE, attempt_id=uuid4()))


async def test_within_grace_the_attempt_is_still_in_progress(
    services: Services, attempt: Attempt
) -> None:
    services.clock.set(DEADLINE + 29 * timedelta(seconds=1))
    view = await services.get_attempt(query(attempt))
    assert view.attempt.status is AttemptStatus.IN_PROGRESS


async def test_an_overdue_attempt_is_expired_on_read(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    await services.answer(attempt, "q2", "C")
    services.clock.set(DEADLINE + 30 * timedelta(seconds=1))
    view = await services.get_attempt(query(attempt))
    expired = view.attempt
    assert expired.status is AttemptStatus.EXPIRED
    assert expired.result is not None
    assert (expired.result.score, expired.result.answered, expired.result.correct) == (1, 2, 1)
    assert expired.result.finished_at == DEADLINE
    assert expired.result.time_taken_seconds == 30 * 60
    assert (await services.stored(attempt.id)).status is AttemptStatus.EXPIRED
    assert services.hot_state.peek(attempt.id) is None


async def test_reading_a_final_attempt_changes_nothing(
    services: Services, attempt: Attempt
) -> None:
    result = await services.submit_attempt(query(attempt))
    commits = services.transaction.commits
    services.clock.advance(24 * 60 * MIN)
    view = await services.get_attempt(query(attempt))
    assert view.attempt.result == result
    assert services.transaction.commits == commits


async def test_hot_state_down_changes_nothing(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    services.hot_state.down = True
    assert (await services.get_attempt(query(attempt))).attempt.answers == {"q1": "A"}
