from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from application.errors import ActiveAttemptExists
from domain.events import EventKind
from domain.exam import Exam
from domain.result import AttemptStatus
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.integration.postgres.builders import (
    NOW,
    ZERO,
    attempts_in,
    audit_trail_in,
    fixed_exam,
    overdue_in,
    recorded_statements,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration


@pytest.fixture
async def exam(sessions: async_sessionmaker[AsyncSession]) -> Exam:
    return await stored_exam(sessions)


async def test_an_added_attempt_comes_back_as_it_was(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    attempt = started(exam)
    attempt.accommodate(time_multiplier=1.5, extra_time=timedelta(minutes=5), reason="r", now=NOW)
    attempt.pause(reason="fire alarm", now=NOW + timedelta(minutes=1))
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await SqlTransaction(OneSession(session)).commit()

    async with sessions() as session:
        loaded = await attempts_in(session).get(attempt.id)

    assert loaded is not None
    assert (loaded.exam_id, loaded.candidate_id, loaded.mode) == (
        exam.id,
        attempt.candidate_id,
        exam.mode,
    )
    assert (loaded.status, loaded.version, loaded.answers) == (AttemptStatus.IN_PROGRESS, 2, {})
    assert loaded.timer == attempt.timer
    assert loaded.result is None
    assert attempt.pending_events == []


async def test_find_in_progress_and_count_see_the_candidates_attempts(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    attempt = started(exam)
    async with sessions() as session:
        attempts = attempts_in(session)
        assert await attempts.count_for_candidate(exam.id, attempt.candidate_id) == 0
        await attempts.add(attempt, number=1)
        await session.commit()

    async with sessions() as session:
        attempts = attempts_in(session)
        found = await attempts.find_in_progress(exam.id, attempt.candidate_id)
        assert found is not None
        assert found.id == attempt.id
        assert await attempts.count_for_candidate(exam.id, attempt.candidate_id) == 1
        assert await attempts.find_in_progress(exam.id, "someone-else") is None
        assert await attempts.get(fixed_exam().id) is None


async def test_a_second_attempt_in_progress_is_refused(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    first = started(exam)
    async with sessions() as session:
        await attempts_in(session).add(first, number=1)
        await session.commit()

    async with sessions() as session:
        attempts, transaction = attempts_in(session), SqlTransaction(OneSession(session))
        with pytest.raises(ActiveAttemptExists):
            await attempts.add(started(exam, candidate_id=first.candidate_id), number=2)
        # As StartAttempt does: roll back the failed start, then resume the winner.
        await transaction.rollback()
        found = await attempts.find_in_progress(exam.id, first.candidate_id)
        assert found is not None
        assert found.id == first.id


async def test_a_number_taken_by_a_finished_attempt_is_refused(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    first = started(exam)
    async with sessions() as session:
        attempts = attempts_in(session)
        await attempts.add(first, number=1)
        locked = await attempts.get_for_update(first.id)
        assert locked is not None
        locked.submit(exam, NOW + timedelta(minutes=1))
        await attempts.update(locked)
        await session.commit()

    async with sessions() as session:
        with pytest.raises(ActiveAttemptExists):
            await attempts_in(session).add(started(exam, candidate_id=first.candidate_id), number=1)


async def test_a_submitted_result_written_under_the_row_lock_persists(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    attempt = started(exam)
    attempt.save_answer(exam.question("q1"), "a", now=NOW, network_grace=ZERO)
    attempt.save_answer(exam.question("q2"), "c", now=NOW, network_grace=ZERO)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()

    async with sessions() as session:
        attempts = attempts_in(session)
        locked = await attempts.get_for_update(attempt.id)
        assert locked is not None
        result = locked.submit(exam, NOW + timedelta(minutes=12))
        await attempts.update(locked)
        await SqlTransaction(OneSession(session)).commit()

    async with sessions() as session:
        attempts = attempts_in(session)
        loaded = await attempts.get(attempt.id)
        events = await audit_trail_in(session).events(attempt.id)
    assert loaded is not None
    assert (loaded.status, loaded.version, loaded.result) == (AttemptStatus.SUBMITTED, 3, result)
    assert loaded.answers == {"q1": "a", "q2": "c"}
    assert result.score == 1
    assert result.answered == 2
    assert events[-1].kind is EventKind.SUBMITTED
    assert events[-1].version == 3
    assert await attempts_in_progress(sessions, exam, attempt.candidate_id) is None


async def attempts_in_progress(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, candidate_id: str
) -> object:
    async with sessions() as session:
        return await attempts_in(session).find_in_progress(exam.id, candidate_id)


async def test_events_come_back_oldest_first(
    sessions: async_sessionmaker[AsyncSession], exam: Exam
) -> None:
    attempt = started(exam)
    async with sessions() as session:
        attempts = attempts_in(session)
        await attempts.add(attempt, number=1)
        attempt.record_resumed(NOW + timedelta(minutes=2))
        await audit_trail_in(session).append_events(attempt)
        locked = await attempts.get_for_update(attempt.id)
        assert locked is not None
        locked.extend(timedelta(minutes=10), reason="slow network", now=NOW + timedelta(minutes=3))
        await attempts.update(locked)
        await session.commit()

    async with sessions() as session:
        attempts = attempts_in(session)
        events = await audit_trail_in(session).events(attempt.id)
        loaded = await attempts.get(attempt.id)

    assert [(e.kind, e.version) for e in events] == [
        (EventKind.STARTED, 0),
        (EventKind.RESUMED, 0),
        (EventKind.TIME_EXTENDED, 1),
    ]
    assert events[0].at == NOW
    assert events[2].data == {
        "seconds": 600.0,
        "reason": "slow network",
        "deadline": (NOW + timedelta(minutes=40)).isoformat(),
    }
    assert loaded is not None
    assert loaded.timer.deadline == NOW + timedelta(minutes=40)
    assert attempt.pending_events == []
    assert locked.pending_events == []


async def test_a_batch_of_expired_attempts_is_written_in_two_statements(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, engine: AsyncEngine
) -> None:
    batch = [started(exam) for _ in range(5)]
    async with sessions() as session:
        for number, attempt in enumerate(batch, start=1):
            await attempts_in(session).add(attempt, number=number)
        await SqlTransaction(OneSession(session)).commit()
    later = NOW + exam.duration + exam.grace + timedelta(seconds=5)
    async with sessions() as session:
        overdue = overdue_in(session)
        locked = await overdue.lock_overdue(later, ZERO, 10, among=[a.id for a in batch])
        assert {a.id for a in locked} == {a.id for a in batch}
        for attempt in locked:
            attempt.expire(exam, later, ZERO)
        with recorded_statements(engine) as statements:
            await overdue.update_all(locked)
        await SqlTransaction(OneSession(session)).commit()
    assert len(statements) == 2  # one executemany UPDATE, one executemany INSERT
    async with sessions() as session:
        for attempt in batch:
            stored = await attempts_in(session).get(attempt.id)
            assert stored is not None
            assert stored.status is AttemptStatus.EXPIRED
            events = await audit_trail_in(session).events(attempt.id)
            assert [e.kind for e in events].count(EventKind.EXPIRED) == 1
