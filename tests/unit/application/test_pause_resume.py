from __future__ import annotations

from datetime import timedelta

import pytest

from application.errors import AccessDenied
from application.ports import AttemptUpdate, UpdateKind
from domain.attempt import Attempt
from domain.errors import AttemptAlreadyFinal, AttemptNotPaused, AttemptPaused
from domain.events import EventKind
from domain.exam import Exam
from tests.fakes.builders import ALICE, Services, make_exam, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
GRACE = 30 * SEC


def updates(services: Services) -> list[tuple[UpdateKind, str]]:
    return [(update.kind, update.reason) for update in services.live_updates.published]


class TestPause:
    async def test_freezes_the_remaining_time(self, services: Services, attempt: Attempt) -> None:
        services.clock.advance(10 * MIN)
        view = await services.pause(attempt, reason="fire alarm")
        assert view.attempt.timer.is_paused
        assert (await services.stored(attempt.id)).timer.paused_at == T0 + 10 * MIN
        services.clock.advance(60 * MIN)
        remaining = await services.get_remaining_time(query(attempt))
        assert (remaining.remaining, remaining.paused) == (20 * MIN, True)
        assert updates(services) == [(UpdateKind.DEADLINE_CHANGED, "paused")]
        event = (await services.attempts.events(attempt.id))[-1]
        assert (event.kind, event.data) == (EventKind.PAUSED, {"reason": "fire alarm"})

    async def test_answers_and_submission_are_refused_while_paused(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.answer(attempt, "q1", "A")
        await services.pause(attempt)
        with pytest.raises(AttemptPaused):
            await services.answer(attempt, "q2", "B")
        with pytest.raises(AttemptPaused):
            await services.submit_attempt(query(attempt))
        assert (await services.stored(attempt.id)).answers == {"q1": "A"}

    async def test_without_a_window_end_the_sweeper_forgets_it_while_paused(
        self, services: Services, attempt: Attempt
    ) -> None:
        assert attempt.id in services.deadline_index.entries
        await services.pause(attempt)
        assert attempt.id not in services.deadline_index.entries
        services.clock.advance(10 * 60 * MIN)
        assert (await services.sweep()).expired == ()

    async def test_the_window_close_still_ends_a_paused_attempt(self, services: Services) -> None:
        exam = await services.given_exam(make_exam(closes_at=T0 + 60 * MIN))
        attempt = await services.started(exam)
        await services.pause(attempt)
        assert services.deadline_index.entries[attempt.id] == T0 + 60 * MIN + GRACE

    async def test_twice_is_refused(self, services: Services, attempt: Attempt) -> None:
        await services.pause(attempt)
        with pytest.raises(AttemptPaused):
            await services.pause(attempt)
        assert (await services.stored(attempt.id)).version == 1
        assert services.attempts.store.locks == {}

    async def test_only_an_admin_pauses(self, services: Services, attempt: Attempt) -> None:
        with pytest.raises(AccessDenied):
            await services.pause(attempt, actor=ALICE)
        assert not (await services.stored(attempt.id)).timer.is_paused

    async def test_a_final_attempt_is_refused(self, services: Services, attempt: Attempt) -> None:
        await services.submit_attempt(query(attempt))
        with pytest.raises(AttemptAlreadyFinal):
            await services.pause(attempt)


class TestResume:
    async def test_moves_the_deadline_by_the_paused_time(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(T0 + 10 * MIN)
        await services.pause(attempt)
        services.clock.set(T0 + 25 * MIN)
        view = await services.resume(attempt)
        new_deadline = DEADLINE + 15 * MIN
        assert not view.attempt.timer.is_paused
        assert view.attempt.timer.deadline == new_deadline
        assert (await services.stored(attempt.id)).timer.deadline == new_deadline
        assert services.deadline_index.entries[attempt.id] == new_deadline + GRACE
        assert (await services.get_remaining_time(query(attempt))).remaining == 20 * MIN
        assert services.live_updates.published[-1] == AttemptUpdate(
            attempt_id=attempt.id, kind=UpdateKind.DEADLINE_CHANGED, reason="unpaused"
        )

    async def test_answers_are_accepted_again_until_the_moved_deadline(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.pause(attempt)
        services.clock.advance(15 * MIN)
        await services.resume(attempt)
        services.clock.set(DEADLINE + 10 * MIN)
        assert await services.answer(attempt, "q1", "A") == 3

    async def test_a_running_attempt_is_refused(self, services: Services, attempt: Attempt) -> None:
        with pytest.raises(AttemptNotPaused):
            await services.resume(attempt)
        assert (await services.stored(attempt.id)).version == 0
        assert services.attempts.store.locks == {}

    async def test_only_an_admin_resumes(self, services: Services, attempt: Attempt) -> None:
        await services.pause(attempt)
        with pytest.raises(AccessDenied):
            await services.resume(attempt, actor=ALICE)

    async def test_past_the_window_close_the_attempt_is_expired_instead(
        self, services: Services
    ) -> None:
        exam: Exam = await services.given_exam(make_exam(closes_at=T0 + 60 * MIN))
        attempt = await services.started(exam)
        services.clock.set(T0 + 10 * MIN)
        await services.pause(attempt)
        services.clock.set(T0 + 61 * MIN)
        with pytest.raises(AttemptAlreadyFinal):
            await services.resume(attempt)
        stored = await services.stored(attempt.id)
        assert stored.result is not None
        assert stored.result.finished_at == T0 + 60 * MIN
        assert stored.result.time_taken_seconds == 10 * 60
