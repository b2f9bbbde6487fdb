"""The fakes behave like the adapters they stand for; the use case tests rely on it."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from application.errors import ActiveAttemptExists, StorageUnavailable
from application.ports import (
    AppliedAnswer,
    AttemptUpdate,
    CandidateAccommodation,
    StaleVersion,
    UpdateKind,
)
from domain.accommodation import Accommodation
from domain.attempt import AnswerChange, Attempt, LiveAttempt
from domain.events import AttemptEvent, EventKind
from domain.exam import Exam
from tests.fakes.accommodations import InMemoryAccommodationRepository
from tests.fakes.attempts import InMemoryAttempts, LockTimeout
from tests.fakes.builders import Services, make_exam
from tests.fakes.clock import T0, FakeClock
from tests.fakes.deadline_index import InMemoryDeadlineIndex
from tests.fakes.exams import InMemoryExamRepository
from tests.fakes.hot_state import InMemoryHotStateStore
from tests.fakes.live_updates import FakeLiveUpdates
from tests.fakes.transaction import FakeTransaction

MIN = timedelta(minutes=1)
NETWORK = timedelta(seconds=2)
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
        response=option,
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
        repository = InMemoryAttempts(mine)
        other = InMemoryAttempts(theirs, repository.store)
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
        assert await exams.get(EXAM.id) is None
        assert await exams.summaries(after=None, limit=10) == []
        assert transaction.commits == 0


class TestInMemoryAttempts:
    async def test_rows_are_deep_copies(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAttempts(transaction)
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
        repository = InMemoryAttempts(FakeTransaction())
        await repository.add(new_attempt(), number=1)
        with pytest.raises(ActiveAttemptExists):
            await repository.add(new_attempt(), number=2)
        await repository.add(new_attempt("bob"), number=1)

    async def test_one_row_per_attempt_number(self) -> None:
        repository = InMemoryAttempts(FakeTransaction())
        first = new_attempt()
        first.submit(EXAM, T0 + MIN)
        await repository.add(first, number=1)
        with pytest.raises(ActiveAttemptExists):
            await repository.add(new_attempt(), number=1)
        await repository.add(new_attempt(), number=2)

    async def test_a_conflict_committed_meanwhile_fails_the_commit(self) -> None:
        mine, theirs = FakeTransaction(), FakeTransaction()
        repository = InMemoryAttempts(mine)
        other = InMemoryAttempts(theirs, repository.store)
        await repository.add(new_attempt(), number=1)
        await other.add(new_attempt(), number=1)
        await theirs.commit()
        with pytest.raises(ActiveAttemptExists):
            await mine.commit()
        assert len(repository.store.rows) == 1

    async def test_apply_answer_bumps_the_stored_version(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAttempts(transaction)
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        # Like the real write, it runs on its own connection: it sees committed rows only.
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) is None
        await transaction.commit()
        saved = await repository.apply_answer(change(attempt), answers_close_after=T0)
        assert saved is not None
        assert (saved.version, saved.deadline, saved.late) == (1, attempt.timer.deadline, False)
        cleared = await repository.apply_answer(change(attempt, None), answers_close_after=T0)
        assert cleared is not None
        assert cleared.version == 2
        await transaction.rollback()  # durable already: a rollback takes nothing back
        stored = await repository.get(attempt.id)
        assert stored is not None
        assert (stored.version, stored.answers) == (2, {})
        versions = [event.version for event in await repository.events(attempt.id)]
        assert versions == [0, 1, 2]

    async def test_apply_answer_conditions(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAttempts(transaction)
        attempt = new_attempt()
        await repository.add(attempt, number=1)
        await transaction.commit()
        deadline = attempt.timer.deadline
        assert await repository.apply_answer(change(attempt), answers_close_after=deadline) is None
        stale = change(attempt, expected_version=3)
        refused = await repository.apply_answer(stale, answers_close_after=T0)
        assert refused == StaleVersion(current_version=0)
        current = change(attempt, expected_version=0)
        applied = await repository.apply_answer(current, answers_close_after=T0)
        assert isinstance(applied, AppliedAnswer)
        assert applied.version == 1
        attempt.version = 1
        attempt.pause(reason="alarm", now=T0)
        await repository.update(attempt)
        await transaction.commit()
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) is None
        attempt.unpause(T0)
        attempt.submit(EXAM, T0)
        await repository.update(attempt)
        await transaction.commit()
        assert await repository.apply_answer(change(attempt), answers_close_after=T0) is None
        assert await repository.apply_answer(change(new_attempt()), answers_close_after=T0) is None

    async def test_appended_events_leave_the_row_alone(self) -> None:
        repository = InMemoryAttempts(FakeTransaction())
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
        attempt.record_resumed(T0 + MIN)
        await store.put(attempt)
        cached = await store.get(attempt.id)
        assert cached is not None
        assert type(cached) is LiveAttempt  # the standing alone: no answers, no events
        assert (cached.result, cached.version) == (None, attempt.version)
        assert cached.status is attempt.status
        # A final attempt is not hot: putting it forgets the copy, as the Redis adapter does.
        attempt.submit(EXAM, T0 + 2 * MIN)
        await store.put(attempt)
        assert await store.get(attempt.id) is None

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


class TestRowLocks:
    @pytest.fixture(autouse=True)
    def session(self) -> None:
        self.transaction = FakeTransaction()

    async def overdue_pair(self) -> tuple[InMemoryAttempts, list[Attempt]]:
        """Alice's attempt overdue from T0 + 30:30, Bob's from T0 + 40:30, committed."""
        repository = InMemoryAttempts(self.transaction)
        transaction = self.transaction
        early, late = new_attempt(), new_attempt("bob", make_exam(duration=40 * MIN))
        for attempt in (late, early):
            await repository.add(attempt, number=1)
        await transaction.commit()
        return repository, [early, late]

    async def test_lock_overdue_earliest_first_with_limit_and_among(self) -> None:
        repository, (early, late) = await self.overdue_pair()
        now = T0 + 60 * MIN
        assert await repository.overdue_ids(now, NETWORK, limit=5) == [early.id, late.id]
        assert await repository.overdue_ids(T0 + 35 * MIN, NETWORK, limit=5) == [early.id]
        locked = await repository.lock_overdue(now, NETWORK, 1)
        assert [attempt.id for attempt in locked] == [early.id]
        among = await repository.lock_overdue(now, NETWORK, 5, among=[late.id])
        assert [attempt.id for attempt in among] == [late.id]

    async def test_rows_another_session_holds_are_skipped_until_it_ends(self) -> None:
        repository, (early, late) = await self.overdue_pair()
        theirs = FakeTransaction()
        other = InMemoryAttempts(theirs, repository.store)
        now = T0 + 60 * MIN
        assert len(await repository.lock_overdue(now, NETWORK, 5)) == 2
        assert await other.lock_overdue(now, NETWORK, 5) == []
        assert other.locked_by_others() == {early.id, late.id}
        assert len(await other.overdue_ids(now, NETWORK, limit=5)) == 2  # reads do not lock
        await self.transaction.rollback()
        assert len(await other.lock_overdue(now, NETWORK, 5)) == 2
        await theirs.commit()
        assert repository.store.locks == {}

    async def test_get_for_update_waits_for_the_holder(self) -> None:
        repository, (early, _) = await self.overdue_pair()
        other = InMemoryAttempts(FakeTransaction(), repository.store)
        await repository.get_for_update(early.id)
        waiter = asyncio.ensure_future(other.get_for_update(early.id))
        await asyncio.sleep(0)
        assert not waiter.done()
        await self.transaction.commit()
        assert (await waiter) is not None
        assert other.locked_by_others() == set()

    async def test_a_lock_never_released_times_out(self, monkeypatch: pytest.MonkeyPatch) -> None:
        repository, (early, _) = await self.overdue_pair()
        monkeypatch.setattr("tests.fakes.attempts.LOCK_TIMEOUT_SECONDS", 0.01)
        other = InMemoryAttempts(FakeTransaction(), repository.store)
        await repository.get_for_update(early.id)
        with pytest.raises(LockTimeout):
            await other.get_for_update(early.id)

    async def test_final_and_paused_attempts_are_not_overdue(self) -> None:
        repository, (early, late) = await self.overdue_pair()
        early.submit(EXAM, T0 + MIN)
        late.pause(reason="alarm", now=T0 + MIN)
        await repository.update(early)
        await repository.update(late)
        assert await repository.overdue_ids(T0 + 600 * MIN, NETWORK, limit=5) == []
        assert await repository.count_in_progress() == 1


class TestAccommodationRepository:
    async def test_writes_are_visible_to_others_only_after_commit(self) -> None:
        mine = FakeTransaction()
        repository = InMemoryAccommodationRepository(mine)
        other = InMemoryAccommodationRepository(FakeTransaction(), repository.store)
        granted = Accommodation(reason="dyslexia", time_multiplier=1.5)
        await repository.put(EXAM.id, "alice", granted)
        assert await repository.get(EXAM.id, "alice") == granted
        assert await other.get(EXAM.id, "alice") is None
        await mine.commit()
        assert await other.list(EXAM.id) == [
            CandidateAccommodation(candidate_id="alice", accommodation=granted)
        ]

    async def test_rollback_drops_the_write(self) -> None:
        transaction = FakeTransaction()
        repository = InMemoryAccommodationRepository(transaction)
        await repository.put(EXAM.id, "alice", Accommodation(reason="x"))
        await transaction.rollback()
        assert await repository.list(EXAM.id) == []


class TestDeadlineIndex:
    async def test_due_is_earliest_first_up_to_the_limit(self) -> None:
        index = InMemoryDeadlineIndex()
        first, second, later = uuid4(), uuid4(), uuid4()
        await index.schedule(second, T0 + 2 * MIN)
        await index.schedule(first, T0 + MIN)
        await index.schedule(later, T0 + 5 * MIN)
        assert await index.due(T0 + 2 * MIN, 10) == [first, second]
        assert await index.due(T0 + 2 * MIN, 1) == [first]
        await index.schedule(first, T0 + 10 * MIN)  # moved
        await index.unschedule(iter([second]))
        assert await index.due(T0 + 5 * MIN, 10) == [later]
        assert await index.size() == 2

    async def test_down_means_misses_and_no_ops(self) -> None:
        index = InMemoryDeadlineIndex()
        kept = uuid4()
        await index.schedule(kept, T0)
        index.down = True
        await index.schedule(uuid4(), T0)
        await index.unschedule([kept])
        assert (await index.due(T0, 10), await index.size()) == ([], 0)
        index.down = False
        assert await index.due(T0, 10) == [kept]


class TestLiveUpdates:
    async def test_a_watcher_hears_later_updates_of_its_attempt(self) -> None:
        live = FakeLiveUpdates()
        attempt_id = uuid4()
        before = AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.STATUS, reason="x")
        await live.publish(before)
        async with live.watch(attempt_id) as updates:
            assert live.watchers(attempt_id) == 1
            other = AttemptUpdate(attempt_id=uuid4(), kind=UpdateKind.STATUS, reason="y")
            mine = AttemptUpdate(
                attempt_id=attempt_id, kind=UpdateKind.DEADLINE_CHANGED, reason="paused"
            )
            await live.publish(other)
            await live.publish(mine)
            assert await anext(updates) == mine
        assert live.watchers(attempt_id) == 0
        assert live.published == [before, other, mine]

    async def test_down_loses_messages(self) -> None:
        live = FakeLiveUpdates()
        live.down = True
        update = AttemptUpdate(attempt_id=uuid4(), kind=UpdateKind.STATUS, reason="x")
        await live.publish(update)
        assert (live.published, live.lost) == ([], [update])

    async def test_a_resync_reaches_every_watcher_with_its_attempt(self) -> None:
        live = FakeLiveUpdates()
        attempt_id = uuid4()
        async with live.watch(attempt_id) as mine, live.watch_every() as every:
            live.resync()
            assert await anext(mine) == AttemptUpdate(
                attempt_id=attempt_id, kind=UpdateKind.RESYNC, reason=""
            )
            assert (await anext(every)).kind is UpdateKind.RESYNC
        assert live.published == []


async def test_hot_state_stats() -> None:
    store = InMemoryHotStateStore()
    await store.put(new_attempt())
    assert await store.stats() == {"keys": 1}
    store.down = True
    assert await store.stats() == {}
