from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from application.identity import Actor, Role
from application.ports import AttemptUpdate, UpdateKind
from domain.attempt import Attempt
from domain.events import EventKind
from domain.exam import Exam
from domain.result import AttemptStatus
from tests.fakes.builders import ALICE, BOB, Services, make_exam, query
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
GRACE = 30 * SEC
OVERDUE = DEADLINE + GRACE
CAROL = Actor(user_id="carol", role=Role.CANDIDATE)


async def three_attempts(services: Services, exam: Exam) -> list[Attempt]:
    """Alice answers q1 right, Bob q1 and q2 right, Carol nothing; all started at T0."""
    alice, bob, carol = [await services.started(exam, actor) for actor in (ALICE, BOB, CAROL)]
    await services.answer(alice, "q1", "A")
    await services.answer(bob, "q1", "A", actor=BOB)
    await services.answer(bob, "q2", "A", actor=BOB)
    return [alice, bob, carol]


async def expired_events(services: Services, attempt: Attempt) -> int:
    return sum(
        event.kind is EventKind.EXPIRED for event in await services.attempts.events(attempt.id)
    )


class TestIndexPass:
    async def test_expires_due_attempts_with_their_answers_scored(
        self, services: Services, exam: Exam
    ) -> None:
        attempts = await three_attempts(services, exam)
        services.clock.set(OVERDUE)
        report = await services.sweep(from_database=False)
        assert set(report.expired) == {attempt.id for attempt in attempts}
        assert report.sources == ("index",)
        scores = []
        for attempt in attempts:
            stored = await services.stored(attempt.id)
            assert stored.status is AttemptStatus.EXPIRED
            assert stored.result is not None
            assert stored.result.finished_at == DEADLINE
            assert stored.result.time_taken_seconds == 30 * 60
            scores.append(stored.result.score)
            assert await expired_events(services, attempt) == 1
            assert services.hot_state.peek(attempt.id) is None
        assert scores == [1, 2, 0]
        assert services.deadline_index.entries == {}
        assert services.live_updates.published == [
            AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.STATUS, reason="expired")
            for attempt_id in report.expired
        ]

    async def test_leaves_attempts_not_yet_due(self, services: Services, exam: Exam) -> None:
        early = await services.started(exam)
        services.clock.advance(5 * MIN)
        late = await services.started(exam, BOB)
        services.clock.set(OVERDUE)
        report = await services.sweep()
        assert report.expired == (early.id,)
        assert (await services.stored(late.id)).status is AttemptStatus.IN_PROGRESS
        assert services.deadline_index.entries == {late.id: OVERDUE + 5 * MIN}

    async def test_one_second_early_nothing_happens(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(OVERDUE - SEC)
        assert (await services.sweep()).expired == ()
        assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS

    async def test_works_through_batches(self, services: Services) -> None:
        exam = await services.given_exam(make_exam())
        actors = [Actor(user_id=f"c{n}", role=Role.CANDIDATE) for n in range(5)]
        for actor in actors:
            await services.started(exam, actor)
        services.clock.set(OVERDUE)
        report = await services.sweep(from_database=False, batch_size=2)
        assert len(report.expired) == 5
        assert services.deadline_index.entries == {}

    async def test_lags_are_reported_and_logged(self, services: Services, exam: Exam) -> None:
        await three_attempts(services, exam)
        services.clock.set(OVERDUE + timedelta(milliseconds=400))
        report = await services.sweep()
        assert report.lags_seconds == (0.4, 0.4, 0.4)
        assert report.max_lag_seconds == 0.4
        assert services.sweeper_log.reports == [report]
        latest = await services.sweeper_log.latest()
        assert (latest["last_expired"], latest["last_max_lag_seconds"]) == (3, 0.4)

    async def test_a_moved_deadline_is_rescheduled(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.deadline_index.down = True  # the extension's reschedule is lost
        await services.extend(attempt, 600)
        services.deadline_index.down = False
        services.clock.set(OVERDUE)
        assert (await services.sweep(from_database=False)).expired == ()
        assert services.deadline_index.entries == {attempt.id: OVERDUE + 10 * MIN}
        assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS

    async def test_a_final_attempt_is_unscheduled(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.deadline_index.down = True  # the submission's unschedule is lost
        await services.submit_attempt(query(attempt))
        services.deadline_index.down = False
        assert attempt.id in services.deadline_index.entries
        services.clock.set(OVERDUE)
        assert (await services.sweep(from_database=False)).expired == ()
        assert services.deadline_index.entries == {}
        assert (await services.stored(attempt.id)).status is AttemptStatus.SUBMITTED

    async def test_a_paused_attempt_with_a_window_end_is_unscheduled_until_it_closes(
        self, services: Services
    ) -> None:
        exam = await services.given_exam(make_exam(closes_at=T0 + 60 * MIN))
        attempt = await services.started(exam)
        services.clock.set(T0 + 10 * MIN)
        services.deadline_index.down = True  # the pause's reschedule is lost
        await services.pause(attempt)
        services.deadline_index.down = False
        services.clock.set(OVERDUE)
        assert (await services.sweep()).expired == ()
        assert services.deadline_index.entries == {attempt.id: T0 + 60 * MIN + GRACE}
        services.clock.set(T0 + 60 * MIN + GRACE)
        assert (await services.sweep()).expired == (attempt.id,)
        stored = await services.stored(attempt.id)
        assert stored.result is not None
        assert (stored.result.finished_at, stored.result.time_taken_seconds) == (
            T0 + 60 * MIN,
            10 * 60,
        )


class TestDatabasePass:
    async def test_finds_attempts_the_index_lost(self, services: Services, exam: Exam) -> None:
        services.deadline_index.down = True
        attempts = await three_attempts(services, exam)
        services.deadline_index.down = False
        assert services.deadline_index.entries == {}
        services.clock.set(OVERDUE)
        report = await services.sweep()
        assert report.sources == ("index", "database")
        assert set(report.expired) == {attempt.id for attempt in attempts}
        for attempt in attempts:
            assert (await services.stored(attempt.id)).status is AttemptStatus.EXPIRED

    async def test_works_with_redis_down(self, services: Services, attempt: Attempt) -> None:
        services.deadline_index.down = True
        services.hot_state.down = True
        services.live_updates.down = True
        services.clock.set(OVERDUE)
        assert (await services.sweep()).expired == (attempt.id,)
        assert (await services.stored(attempt.id)).status is AttemptStatus.EXPIRED

    async def test_a_paused_attempt_without_window_end_is_never_expired(
        self, services: Services, attempt: Attempt
    ) -> None:
        await services.pause(attempt)
        services.clock.set(OVERDUE + 24 * 60 * MIN)
        assert (await services.sweep(from_index=False)).expired == ()


class TestDryRun:
    async def test_lists_without_changing(self, services: Services, exam: Exam) -> None:
        attempts = await three_attempts(services, exam)
        services.clock.set(OVERDUE)
        commits = services.transaction.commits
        report = await services.sweep(dry_run=True)
        assert report.dry_run
        assert report.expired == ()
        assert set(report.due) == {attempt.id for attempt in attempts}
        for attempt in attempts:
            assert (await services.stored(attempt.id)).status is AttemptStatus.IN_PROGRESS
        assert len(services.deadline_index.entries) == 3
        assert services.transaction.commits == commits
        assert services.sweeper_log.reports == []


class TestTwoSweepers:
    async def test_one_after_the_other_finalise_each_attempt_once(
        self, services: Services, exam: Exam
    ) -> None:
        attempts = await three_attempts(services, exam)
        services.clock.set(OVERDUE)
        first = await services.sweep()
        second = await services.other_session().sweep()
        assert len(first.expired) == 3
        assert second.expired == ()
        for attempt in attempts:
            assert await expired_events(services, attempt) == 1

    async def test_rows_one_holds_are_skipped_by_the_other(
        self, services: Services, exam: Exam
    ) -> None:
        attempts = await three_attempts(services, exam)
        services.clock.set(OVERDUE)
        other = services.other_session()
        during: list[tuple[object, ...]] = []

        async def the_other_sweeps_meanwhile() -> None:
            assert services.attempts.locked_by_others() == set()
            assert len(other.attempts.locked_by_others()) == 3
            during.append((await other.sweep()).expired)

        services.attempts.interleave = the_other_sweeps_meanwhile
        report = await services.sweep()
        assert during == [()]
        assert len(report.expired) == 3
        for attempt in attempts:
            assert await expired_events(services, attempt) == 1
        assert services.attempts.store.locks == {}

    async def test_a_full_batch_held_by_the_other_does_not_spin(
        self, services: Services, attempt: Attempt
    ) -> None:
        services.clock.set(OVERDUE)
        other = services.other_session()
        during: list[tuple[object, ...]] = []

        async def the_other_sweeps_meanwhile() -> None:
            pass_ = other.sweep(batch_size=1)
            during.append((await asyncio.wait_for(pass_, timeout=1)).expired)

        services.attempts.interleave = the_other_sweeps_meanwhile
        assert (await services.sweep()).expired == (attempt.id,)
        assert during == [()]

    async def test_concurrent_passes_finalise_each_attempt_once(
        self, services: Services, exam: Exam
    ) -> None:
        attempts = await three_attempts(services, exam)
        services.clock.set(OVERDUE)
        sessions = [services, services.other_session(), services.other_session()]
        reports = await asyncio.gather(*(session.sweep() for session in sessions))
        expired = [attempt_id for report in reports for attempt_id in report.expired]
        assert sorted(expired) == sorted(attempt.id for attempt in attempts)
        for attempt in attempts:
            assert await expired_events(services, attempt) == 1


@pytest.mark.parametrize("dry_run", [False, True])
async def test_nothing_to_do(services: Services, dry_run: bool) -> None:
    report = await services.sweep(dry_run=dry_run)
    assert (report.expired, report.due, report.started_at) == ((), (), T0)
