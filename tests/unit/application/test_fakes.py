"""The fakes behave like the adapters they stand for; the use case tests rely on it."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from application.errors import ActiveAttemptExists, StorageUnavailable
from domain.attempt import AnswerChange, Attempt
from domain.events import AttemptEvent, EventKind
from domain.exam import Exam
from tests.fakes.attempts import InMemoryAttemptRepository
from tests.fakes.builders import Services, make_exam
from tests.fakes.clock import T0, FakeClock
from tests.fakes.exams import InMemoryExamRepository
from tests.fakes.hot_state import InMemoryHotStateStore
from tests.fakes.transaction import FakeTransaction

MIN = timedelta(minutes=1)
EXAM = make_exam()


def new_attempt(candidate: str = "alice", exam: Exam = EXAM) -> Attempt:
    return Attempt.start(attempt_id=uuid4(), exam=exam, candidate_id=candidate, now=T0)


def change(
    attempt: Attempt, option: str | None = "B", expected_version: int | None = None
) -> AnswerChange:
    event = AttemptEvent(kind=EventKind.ANSWER_SAVED, at=T0, version=99, data={"option": option})
    return AnswerChange(
        attempt_id=attempt.id,
        question_id="q1",
        option=option,
        expected_version=expected_version,
        event=event,
    )


class TestClock:
    def test_stands_still_until_told(self) -> None:
        clock = FakeClock()
        assert clock.now() == clock.now() == T0

    def test_advances_by_seconds_or_timedelta(self) -> None:
        clock = FakeClock()
        clock.advance(1.5)
        clock.advance(MIN)
        assert clock.now() == T0 + timedelta(seconds=61.5)

    def test_set_and_refusals(self) -> None:
        clock = FakeClock()
        clock.set(T0 - MIN)
        assert clock.now() == T0 - MIN
        with pytest.raises(ValueError, match="backwards"):
            clock.advance(-1)
        with pytest.raises(ValueError, match="aware"):
            clock.set(datetime(2030, 1, 1))
        assert FakeClock().now().tzinfo is UTC


class TestTransaction:
    async def test_writes_are_visible_to_others_only_after_commit(self) -> None:
        mine, theirs = FakeTransaction(), FakeTransaction()
        repository = InMemoryAttemptRepository(mine)
        other = InMemoryAttemptRepository(theirs, repository.store)
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        assert await repository.get(attempt.id) is not None
        assert await other.get(attempt.id) is None
        await mine.commit()
        assert await other.get(attempt.id) is not None
        assert (mine.commits, mine.rollbacks) == (1, 0)

    async def test_rollback_drops_staged_writes(self) -> None:
        transaction = FakeTransaction()
        exams = InMemoryExamRepository(transaction)
        await exams.add(EXAM)
        await transaction.rollback()
        assert await exams.get(EXAM.id) is None
        assert transaction.rollbacks == 1

    async def test_a_refused_commit_drops_staged_writes(self) -> None:
        transaction = FakeTransaction()
        exams = InMemoryExamRepository(transaction)
        await exams.add(EXAM)
        transaction.fail_next_commit = StorageUnavailable()
        with pytest.raises(StorageUnavailable):
            await transaction.commit()
        assert await exams.list() == []
        assert transaction.commits == 0


class TestAttemptRepository:
    async def test_rows_are_deep_copies(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAttemptRepository(transaction)
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        await transaction.commit()
        attempt.answers["q1"] = "A"
        loaded = await repository.get(attempt.id)
        assert loaded is not None
        assert loaded.answers == {}
        assert loaded.pending_events == []
        loaded.answers["q2"] = "B"
        assert (await repository.get(attempt.id)).answers == {}  # type: ignore[union-attr]

    async def test_one_attempt_in_progress_per_candidate_and_exam(self) -> None:
        repository = InMemoryAttemptRepository(FakeTransaction())
        await repository.add(new_attempt(), number=1)
        with pytest.raises(ActiveAttemptExists):
            await repository.add(new_attempt(), number=2)
        await repository.add(new_attempt("bob"), number=1)

    async def test_one_row_per_attempt_number(self) -> None:
        repository = InMemoryAttemptRepository(FakeTransaction())
        first = new_attempt()
        first.submit(EXAM, T0 + MIN)
        await repository.add(first, number=1)
        with pytest.raises(ActiveAttemptExists):
            await repository.add(new_attempt(), number=1)
        await repository.add(new_attempt(), number=2)

    async def test_a_conflict_committed_meanwhile_fails_the_commit(self) -> None:
        mine, theirs = FakeTransaction(), FakeTransaction()
        repository = InMemoryAttemptRepository(mine)
        other = InMemoryAttemptRepository(theirs, repository.store)
        await repository.add(new_attempt(), number=1)
        await other.add(new_attempt(), number=1)
        await theirs.commit()
        with pytest.raises(ActiveAttemptExists):
            await mine.commit()
        assert len(repository.store.rows) == 1

    async def test_apply_answer_bumps_the_stored_version(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAttemptRepository(transaction)
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) == 1
        assert await repository.apply_answer(change(attempt, None), answers_close_after=T0) == 2
        await transaction.commit()
        stored = await repository.get(attempt.id)
        assert stored is not None
        assert (stored.version, stored.answers) == (2, {})
        versions = [event.version for event in await repository.events(attempt.id)]
        assert versions == [0, 1, 2]

    async def test_apply_answer_conditions(self) -> None:
        repository = InMemoryAttemptRepository(FakeTransaction())
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        deadline = attempt.timer.deadline
        assert await repository.apply_answer(change(attempt), answers_close_after=deadline) is None
        stale = change(attempt, expected_version=3)
        assert await repository.apply_answer(stale, answers_close_after=T0) is None
        current = change(attempt, expected_version=0)
        assert await repository.apply_answer(current, answers_close_after=T0) == 1
        attempt.version = 1
        attempt.pause(reason="alarm", now=T0)
        await repository.update(attempt)
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) is None
        attempt.unpause(T0)
        attempt.submit(EXAM, T0)
        await repository.update(attempt)
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) is None
        assert await repository.apply_answer(change(new_attempt()), answers_close_after=T0) is None

    async def test_appended_events_leave_the_row_alone(self) -> None:
        repository = InMemoryAttemptRepository(FakeTransaction())
        await repository.add(new_attempt(), number=1)
        attempt = await repository.find_in_progress(EXAM.id, "alice")
        assert attempt is not None
        attempt.answers["q1"] = "A"
        attempt.record_resumed(T0 + MIN)
        await repository.append_events(attempt)
        assert (await repository.get(attempt.id)).answers == {}  # type: ignore[union-attr]
        kinds = [event.kind for event in await repository.events(attempt.id)]
        assert kinds == [EventKind.STARTED, EventKind.RESUMED]


class TestHotState:
    async def test_keeps_no_answers_nor_result(self) -> None:
        store = InMemoryHotStateStore()
        attempt = new_attempt()
        attempt.answers["q1"] = "A"
        attempt.submit(EXAM, T0 + MIN)
        await store.put(attempt)
        cached = await store.get(attempt.id)
        assert cached is not None
        assert (cached.answers, cached.result, cached.pending_events) == ({}, None, [])
        assert cached.status is attempt.status

    async def test_never_lowers_a_version(self) -> None:
        store = InMemoryHotStateStore()
        attempt = new_attempt()
        await store.put(replace(attempt, version=3))
        await store.put(replace(attempt, version=2))
        assert (await store.get(attempt.id)).version == 3  # type: ignore[union-attr]
        await store.put(replace(attempt, version=4))
        assert (await store.get(attempt.id)).version == 4  # type: ignore[union-attr]

    async def test_down_means_misses_and_no_ops(self) -> None:
        store = InMemoryHotStateStore()
        attempt = new_attempt()
        await store.put(attempt)
        store.down = True
        assert await store.get(attempt.id) is None
        await store.forget(attempt.id)
        await store.put(replace(attempt, version=5))
        store.down = False
        assert (await store.get(attempt.id)).version == 0  # type: ignore[union-attr]


async def test_the_wiring_shares_stores_between_sessions(services: Services) -> None:
    exam = await services.given_exam()
    other = services.other_session()
    assert await other.get_exam(exam.id) == exam
    assert other.transaction is not services.transaction
    assert other.hot_state is services.hot_state
