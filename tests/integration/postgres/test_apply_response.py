"""The conditional response write of adaptive attempts, against real PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.attempt import Attempt
from domain.events import EventKind
from domain.exam import Exam
from domain.responses import Response, ResponseChange
from domain.result import AttemptStatus
from tests.integration.postgres.builders import (
    NOW,
    ZERO,
    adaptive_exam,
    answer_writes,
    attempts_in,
    audit_trail_in,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration

SOON = NOW + timedelta(minutes=5)


@pytest.fixture
async def exam(sessions: async_sessionmaker[AsyncSession]) -> Exam:
    return await stored_exam(sessions, adaptive_exam())


@pytest.fixture
async def attempt(sessions: async_sessionmaker[AsyncSession], exam: Exam) -> Attempt:
    attempt = started(exam, now=NOW)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    return attempt


def respond(
    exam: Exam, attempt: Attempt, item_id: str, option: str, expected: int | None = None
) -> ResponseChange:
    """The change the domain decides (`attempt` stays as stored), as the service writes it."""
    item = exam.question(item_id)
    return attempt.response_change(
        item_id, option, administered=item, now=SOON, network_grace=ZERO, expected_version=expected
    )


async def apply(
    sessions: async_sessionmaker[AsyncSession],
    change: ResponseChange,
    before: int,
    close_after: object = SOON,
) -> int | None:
    async with sessions() as session:
        version = await answer_writes().apply_response(
            change,
            answers_close_after=close_after,  # type: ignore[arg-type]
            responses_before=before,
        )
        await session.commit()
    return version


async def read(sessions: async_sessionmaker[AsyncSession], attempt: Attempt) -> Attempt:
    async with sessions() as session:
        found = await attempts_in(session).get(attempt.id)
    assert found is not None
    return found


async def test_responses_append_in_order_with_their_events(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    assert await apply(sessions, respond(exam, attempt, "i2", "a"), 0) == 1
    assert await apply(sessions, respond(exam, attempt, "i4", "b"), 1) == 2
    stored = await read(sessions, attempt)
    assert stored.responses == (
        Response(item_id="i2", option="a", correct=True),
        Response(item_id="i4", option="b", correct=False),
    )
    assert stored.answers == {"i2": "a", "i4": "b"}
    assert stored.version == 2
    async with sessions() as session:
        events = await audit_trail_in(session).events(attempt.id)
    assert [(e.kind, e.version) for e in events[-2:]] == [
        (EventKind.RESPONSE_RECORDED, 1),
        (EventKind.RESPONSE_RECORDED, 2),
    ]
    assert events[-1].data == {"item_id": "i4", "option": "b", "correct": False}


async def test_a_response_counted_from_a_stale_state_matches_nothing(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    await apply(sessions, respond(exam, attempt, "i2", "a"), 0)
    assert await apply(sessions, respond(exam, attempt, "i2", "b"), 0) is None
    assert len((await read(sessions, attempt)).responses) == 1


async def test_concurrent_responses_to_one_item_append_exactly_one(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    changes = [respond(exam, attempt, "i1", option) for option in "abcab"]
    versions = await asyncio.gather(*(apply(sessions, change, 0) for change in changes))
    assert sorted(versions, key=lambda v: v or 0) == [None, None, None, None, 1]
    assert len((await read(sessions, attempt)).responses) == 1


async def test_the_expected_version_must_match(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    stale = replace(respond(exam, attempt, "i1", "a"), expected_version=3)
    assert await apply(sessions, stale, 0) is None
    assert await apply(sessions, respond(exam, attempt, "i1", "a", expected=0), 0) == 1


async def test_nothing_is_appended_after_the_deadline_or_to_a_final_or_paused_attempt(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    change = respond(exam, attempt, "i1", "a")
    assert await apply(sessions, change, 0, close_after=attempt.timer.deadline) is None
    async with sessions() as session:
        repository = attempts_in(session)
        locked = await repository.get_for_update(attempt.id)
        assert locked is not None
        locked.pause(reason="alarm", now=SOON)
        await repository.update(locked)
        await session.commit()
    assert await apply(sessions, change, 0) is None
    async with sessions() as session:
        repository = attempts_in(session)
        locked = await repository.get_for_update(attempt.id)
        assert locked is not None
        locked.unpause(SOON)
        locked.submit(exam, SOON)
        await repository.update(locked)
        await session.commit()
    assert (await read(sessions, attempt)).status is AttemptStatus.SUBMITTED
    assert await apply(sessions, change, 0) is None
    assert (await read(sessions, attempt)).responses == ()


async def test_responses_survive_a_write_back_of_the_attempt(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    await apply(sessions, respond(exam, attempt, "i3", "c"), 0)
    async with sessions() as session:
        repository = attempts_in(session)
        locked = await repository.get_for_update(attempt.id)
        assert locked is not None
        locked.extend(timedelta(minutes=5), reason="scanner", now=SOON)
        await repository.update(locked)
        await session.commit()
    stored = await read(sessions, attempt)
    assert stored.responses == (Response(item_id="i3", option="c", correct=False),)
    assert stored.version == 2


async def test_a_response_is_durable_whatever_the_session_then_does(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    async with sessions() as session:
        version = await answer_writes().apply_response(
            respond(exam, attempt, "i2", "a"), answers_close_after=SOON, responses_before=0
        )
        await session.rollback()
    assert version == 1
    stored = await read(sessions, attempt)
    assert [response.item_id for response in stored.responses] == ["i2"]


async def test_postgres_marks_a_response_late_against_the_deadline_it_holds(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    deadline = attempt.timer.deadline
    on_time = respond(exam, attempt, "i2", "a")
    assert await apply(sessions, on_time, 0) == 1
    # Sent just before the deadline, received just after: accepted in the network grace.
    change = respond(exam, attempt, "i4", "b")
    late = replace(change, event=replace(change.event, at=deadline))
    assert "late" not in late.event.data  # the domain leaves the mark to the store
    assert await apply(sessions, late, 1, close_after=deadline - timedelta(seconds=2)) == 2
    async with sessions() as session:
        events = await audit_trail_in(session).events(attempt.id)
    assert "late" not in events[-2].data
    assert events[-1].data == {"item_id": "i4", "option": "b", "correct": False, "late": True}
