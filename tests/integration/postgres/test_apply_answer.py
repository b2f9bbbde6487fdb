from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports import AppliedAnswer, StaleVersion
from domain.attempt import AnswerChange, Attempt
from domain.events import EventKind
from domain.exam import Exam
from tests.integration.postgres.builders import (
    NOW,
    ZERO,
    answer_writes,
    attempts_in,
    audit_trail_in,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration

SOON = NOW + timedelta(minutes=5)
MICROSECOND = timedelta(microseconds=1)


@pytest.fixture
async def exam(sessions: async_sessionmaker[AsyncSession]) -> Exam:
    return await stored_exam(sessions)


@pytest.fixture
async def attempt(sessions: async_sessionmaker[AsyncSession], exam: Exam) -> Attempt:
    attempt = started(exam)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    return attempt


def save(
    exam: Exam, attempt: Attempt, question_id: str, option: str | None, expected: int | None = None
) -> AnswerChange:
    """The change the domain decides (`attempt` stays as stored), as the service writes it."""
    return attempt.answer_change(
        exam.question(question_id), option, now=SOON, network_grace=ZERO, expected_version=expected
    )


async def apply(
    sessions: async_sessionmaker[AsyncSession], change: AnswerChange, close_after: datetime = SOON
) -> int | StaleVersion | None:
    """The new version when applied; else what PostgreSQL said of the refusal."""
    async with sessions() as session:
        applied = await answer_writes().apply_answer(change, answers_close_after=close_after)
        # The write commits on its own: what the session does afterwards takes nothing back.
        await session.rollback()
    return applied.version if isinstance(applied, AppliedAnswer) else applied


async def stored(
    sessions: async_sessionmaker[AsyncSession], attempt: Attempt
) -> tuple[Attempt, list[tuple[EventKind, int]]]:
    async with sessions() as session:
        attempts = attempts_in(session)
        loaded = await attempts.get(attempt.id)
        events = await audit_trail_in(session).events(attempt.id)
    assert loaded is not None
    return loaded, [(event.kind, event.version) for event in events]


async def test_an_accepted_answer_bumps_the_version_and_appends_its_event(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    change = save(exam, attempt, "q1", "b", expected=0)

    assert await apply(sessions, change) == 1

    loaded, events = await stored(sessions, attempt)
    assert (loaded.version, loaded.answers) == (1, {"q1": "b"})
    assert events == [(EventKind.STARTED, 0), (EventKind.ANSWER_SAVED, 1)]
    async with sessions() as session:
        saved = (await audit_trail_in(session).events(attempt.id))[-1]
    assert saved.at == SOON
    assert saved.data == {"question_id": "q1", "option": "b"}


async def test_postgres_reports_the_deadline_and_marks_late_answers(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    deadline = attempt.timer.deadline
    on_time = save(exam, attempt, "q1", "b")
    async with sessions() as session:
        applied = await answer_writes().apply_answer(on_time, answers_close_after=SOON)
    assert applied is not None
    assert (applied.version, applied.deadline, applied.late) == (1, deadline, False)
    # Sent just before the deadline, received just after: accepted in the network grace.
    late = replace(save(exam, attempt, "q2", "a"), event=replace(on_time.event, at=deadline))
    async with sessions() as session:
        marked = await answer_writes().apply_answer(
            late, answers_close_after=deadline - timedelta(seconds=2)
        )
        events = await audit_trail_in(session).events(attempt.id)
    assert marked is not None
    assert (marked.version, marked.late) == (2, True)
    assert events[-1].data.get("late") is True


async def test_clearing_removes_the_answer(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    await apply(sessions, save(exam, attempt, "q1", "b"))
    await apply(sessions, save(exam, attempt, "q2", "a"))

    assert await apply(sessions, save(exam, attempt, "q1", None)) == 3

    loaded, events = await stored(sessions, attempt)
    assert loaded.answers == {"q2": "a"}
    assert events[-1] == (EventKind.ANSWER_CLEARED, 3)


async def test_without_an_expected_version_the_last_writer_wins(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    # Both changes were made from version 0; neither names a version.
    first, second = save(exam, attempt, "q1", "a"), save(exam, attempt, "q1", "c")

    assert await apply(sessions, first) == 1
    assert await apply(sessions, second) == 2

    loaded, events = await stored(sessions, attempt)
    assert loaded.answers == {"q1": "c"}
    # Each event carries the version PostgreSQL assigned, not the one the change was made at.
    assert events[1:] == [(EventKind.ANSWER_SAVED, 1), (EventKind.ANSWER_SAVED, 2)]


async def test_an_answer_is_accepted_until_the_deadline(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    change = save(exam, attempt, "q1", "b")
    assert await apply(sessions, change, close_after=attempt.timer.deadline - MICROSECOND) == 1


async def unchanged(sessions: async_sessionmaker[AsyncSession], attempt: Attempt) -> None:
    loaded, events = await stored(sessions, attempt)
    assert (loaded.version, loaded.answers) == (attempt.version, attempt.answers)
    assert EventKind.ANSWER_SAVED not in {kind for kind, _ in events}


async def test_an_answer_at_or_after_the_deadline_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    change = save(exam, attempt, "q1", "b")

    assert await apply(sessions, change, close_after=attempt.timer.deadline) is None
    assert await apply(sessions, change, close_after=attempt.timer.deadline + MICROSECOND) is None
    await unchanged(sessions, attempt)


async def test_a_stale_expected_version_writes_nothing(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    assert await apply(sessions, save(exam, attempt, "q2", "a", expected=0)) == 1

    refused = await apply(sessions, save(exam, attempt, "q1", "b", expected=0))

    assert refused == StaleVersion(current_version=1)
    loaded, events = await stored(sessions, attempt)
    assert (loaded.version, loaded.answers) == (1, {"q2": "a"})
    assert len(events) == 2


@pytest.mark.parametrize("final", ["submit", "expire", "pause"])
async def test_a_final_or_paused_attempt_takes_no_answer(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt, final: str
) -> None:
    change = save(exam, attempt, "q1", "b")
    async with sessions() as session:
        attempts = attempts_in(session)
        locked = await attempts.get_for_update(attempt.id)
        assert locked is not None
        if final == "submit":
            locked.submit(exam, NOW + timedelta(minutes=1))
        elif final == "expire":
            locked.expire(exam, NOW + timedelta(hours=1))
        else:
            locked.pause(reason="fire alarm", now=NOW + timedelta(minutes=1))
        await attempts.update(locked)
        await session.commit()

    assert await apply(sessions, change) is None
    # Not a mere version conflict either: the caller must learn the attempt's state.
    assert await apply(sessions, save(exam, attempt, "q1", "b", expected=0)) is None

    loaded, events = await stored(sessions, attempt)
    assert (loaded.version, loaded.answers) == (1, {})
    assert [kind for kind, _ in events].count(EventKind.ANSWER_SAVED) == 0


async def test_of_concurrent_writers_at_one_version_exactly_one_wins(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    changes = [save(exam, attempt, f"q{1 + n % 3}", "abc"[n % 3], expected=0) for n in range(20)]

    versions = await asyncio.gather(*(apply(sessions, change) for change in changes))

    assert versions.count(1) == 1
    # The losers: refused for the version (as of the statement's snapshot), or, when their
    # snapshot still showed version 0, refused without a reason, so the caller reads anew.
    assert all(v in (None, StaleVersion(current_version=1)) for v in versions if v != 1)
    loaded, events = await stored(sessions, attempt)
    assert loaded.version == 1
    assert len(loaded.answers) == 1
    assert events == [(EventKind.STARTED, 0), (EventKind.ANSWER_SAVED, 1)]
