"""The `Attempts` port: the same behaviour from the in-memory fake and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from application.errors import ActiveAttemptExists
from domain.events import EventKind
from domain.result import AttemptStatus
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    committed_attempt,
    read_back,
)
from tests.integration.postgres.builders import NOW, fixed_exam, started

LATER = NOW + timedelta(minutes=1)


async def test_an_added_attempt_reads_back_as_it_was(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    found = await read_back(attempt_side, attempt)
    assert (found.id, found.exam_id, found.candidate_id) == (
        attempt.id,
        attempt.exam_id,
        attempt.candidate_id,
    )
    assert (found.status, found.version, found.answers, found.responses) == (
        AttemptStatus.IN_PROGRESS,
        0,
        {},
        (),
    )
    assert found.timer.deadline == attempt.timer.deadline
    assert found.pending_events == []


async def test_adding_appends_the_start_event(attempt_side: AttemptSide) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    attempt = started(exam)
    async with attempt_side.unit() as unit:
        await unit.attempts.add(attempt, number=1)
        assert attempt.pending_events == []
        await unit.transaction.commit()
        events = await unit.audit_trail.events(attempt.id)
    assert [(e.kind, e.version) for e in events] == [(EventKind.STARTED, 0)]


async def test_an_unknown_attempt_is_none(attempt_side: AttemptSide) -> None:
    async with attempt_side.unit() as unit:
        assert await unit.attempts.get(uuid4()) is None
        assert await unit.attempts.get_for_update(uuid4()) is None


async def test_an_update_is_durable_only_once_committed(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    async with attempt_side.unit() as unit:
        locked = await unit.attempts.get_for_update(attempt.id)
        assert locked is not None
        locked.pause(reason="fire alarm", now=LATER)
        await unit.attempts.update(locked)
        assert locked.pending_events == []  # appended with the row
        assert (await read_back(attempt_side, attempt)).timer.is_paused is False
        await unit.transaction.commit()
    stored = await read_back(attempt_side, attempt)
    assert (stored.timer.is_paused, stored.version) == (True, 1)


async def test_an_update_rolled_back_leaves_nothing(attempt_side: AttemptSide) -> None:
    attempt = await committed_attempt(attempt_side)
    async with attempt_side.unit() as unit:
        locked = await unit.attempts.get_for_update(attempt.id)
        assert locked is not None
        locked.extend(timedelta(minutes=5), reason="late start", now=LATER)
        await unit.attempts.update(locked)
        await unit.transaction.rollback()
    assert (await read_back(attempt_side, attempt)).version == 0


async def test_the_attempt_in_progress_and_the_count_of_a_candidate(
    attempt_side: AttemptSide,
) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    async with attempt_side.unit() as unit:
        found = await unit.attempts.find_in_progress(exam.id, attempt.candidate_id)
        assert found is not None
        assert found.id == attempt.id
        assert await unit.attempts.find_in_progress(exam.id, "someone-else") is None
        assert await unit.attempts.count_for_candidate(exam.id, attempt.candidate_id) == 1
        assert await unit.attempts.count_for_candidate(exam.id, "someone-else") == 0


async def test_a_second_attempt_in_progress_is_refused(attempt_side: AttemptSide) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    first = await committed_attempt(attempt_side, exam)
    second = started(exam, candidate_id=first.candidate_id)
    async with attempt_side.unit() as unit:
        with pytest.raises(ActiveAttemptExists):
            await unit.attempts.add(second, number=2)


async def test_attempts_in_progress_are_counted(attempt_side: AttemptSide) -> None:
    async with attempt_side.unit() as unit:
        before = await unit.attempts.count_in_progress()
    await committed_attempt(attempt_side)
    async with attempt_side.unit() as unit:
        assert await unit.attempts.count_in_progress() == before + 1
