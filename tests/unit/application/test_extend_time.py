from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import AccessDenied, AttemptNotFound
from application.ports import AttemptUpdate, UpdateKind
from application.use_cases.change_answer import AnswerCommand
from application.use_cases.time_control import ExtendTimeCommand
from domain.attempt import Attempt
from domain.errors import AttemptAlreadyFinal, InvalidExtension
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, ALICE, Services, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
GRACE = 30 * SEC  # the exam's, longer than the network grace


async def assert_unchanged(services: Services, attempt: Attempt) -> None:
    stored = await services.stored(attempt.id)
    assert (stored.timer, stored.version) == (attempt.timer, attempt.version)
    assert services.attempts.store.locks == {}  # the row lock was released


async def test_moves_the_deadline_everywhere(services: Services, attempt: Attempt) -> None:
    services.clock.advance(20 * MIN)
    view = await services.extend(attempt, 600, reason="scanner broke")
    new_deadline = DEADLINE + 10 * MIN
    assert view.attempt.timer.deadline == new_deadline
    assert view.server_time == T0 + 20 * MIN
    assert (await services.stored(attempt.id)).timer.deadline == new_deadline
    hot = services.hot_state.peek(attempt.id)
    assert hot is not None
    assert hot.timer.deadline == new_deadline
    assert services.deadline_index.entries[attempt.id] == new_deadline + GRACE
    assert services.live_updates.published == [
        AttemptUpdate(
            attempt_id=attempt.id, kind=UpdateKind.DEADLINE_CHANGED, reason="time_extended"
        )
    ]
    event = (await services.attempts.events(attempt.id))[-1]
    assert (event.kind, event.at, event.version) == (EventKind.TIME_EXTENDED, T0 + 20 * MIN, 1)
    assert event.data["reason"] == "scanner broke"


async def test_an_answer_that_would_have_been_late_is_then_accepted(
    services: Services, attempt: Attempt
) -> None:
    await services.extend(attempt, 600)
    services.clock.set(DEADLINE + 5 * MIN)
    command = AnswerCommand(actor=ALICE, attempt_id=attempt.id, question_id="q1", response="A")
    saved = await services.change_answer(command)
    assert (saved.version, saved.late, saved.remaining) == (2, False, 5 * MIN)
    assert (await services.stored(attempt.id)).answers == {"q1": "A"}


async def test_works_from_postgresql_with_redis_down(services: Services, attempt: Attempt) -> None:
    services.hot_state.down = True
    services.deadline_index.down = True
    services.live_updates.down = True
    await services.extend(attempt, 600)
    services.clock.set(DEADLINE + 5 * MIN)
    assert await services.answer(attempt, "q1", "A") == 2


async def test_extensions_add_up(services: Services, attempt: Attempt) -> None:
    await services.extend(attempt, 60)
    view = await services.extend(attempt, 90.5)
    assert view.attempt.timer.deadline == DEADLINE + timedelta(seconds=150.5)


async def test_negative_seconds_take_time_away(services: Services, attempt: Attempt) -> None:
    view = await services.extend(attempt, -5)
    assert view.attempt.timer.deadline == DEADLINE - timedelta(seconds=5)


@pytest.mark.parametrize(
    "seconds", [0, -8 * 24 * 3600, float("nan"), float("-inf"), float("inf"), 1e300]
)
async def test_refuses_zero_or_impossible_seconds(
    services: Services, attempt: Attempt, seconds: float
) -> None:
    with pytest.raises(InvalidExtension):
        await services.extend(attempt, seconds)
    await assert_unchanged(services, attempt)


@pytest.mark.parametrize("reason", ["", "   "])
async def test_needs_a_reason(services: Services, attempt: Attempt, reason: str) -> None:
    with pytest.raises(InvalidExtension):
        await services.extend(attempt, 60, reason=reason)
    await assert_unchanged(services, attempt)
    assert services.live_updates.published == []


async def test_only_an_admin_extends(services: Services, attempt: Attempt) -> None:
    with pytest.raises(AccessDenied):
        await services.extend(attempt, 600, actor=ALICE)
    await assert_unchanged(services, attempt)


async def test_an_overdue_attempt_is_expired_instead(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    services.clock.set(DEADLINE + GRACE)
    with pytest.raises(AttemptAlreadyFinal):
        await services.extend(attempt, 600)
    stored = await services.stored(attempt.id)
    assert stored.status is AttemptStatus.EXPIRED
    assert stored.result is not None
    assert (stored.result.finished_at, stored.result.score) == (DEADLINE, 1)
    assert stored.timer.deadline == DEADLINE
    assert attempt.id not in services.deadline_index.entries
    assert [update.kind for update in services.live_updates.published] == [UpdateKind.STATUS]


async def test_a_final_attempt_is_refused(services: Services, attempt: Attempt) -> None:
    await services.submit_attempt(query(attempt))
    submitted = await services.stored(attempt.id)
    with pytest.raises(AttemptAlreadyFinal):
        await services.extend(attempt, 600)
    await assert_unchanged(services, submitted)


async def test_an_unknown_attempt(services: Services) -> None:
    command = ExtendTimeCommand(actor=ADMIN, attempt_id=uuid4(), seconds=60, reason="x")
    with pytest.raises(AttemptNotFound):
        await services.extend_time(command)
