"""The `OverdueAttempts` and `AuditTrail` ports: the fake and PostgreSQL agree.

PostgreSQL's database is shared by the whole run, so the overdue queries are checked on
this test's own attempts (`among`, or their order inside the answer).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from domain.events import EventKind
from domain.result import AttemptStatus
from domain.sections import Section
from tests.contract.conftest_attempts import (
    AttemptSide,
    attempt_database_fixture,  # noqa: F401 (a fixture)
    attempt_side_fixture,  # noqa: F401 (a fixture)
    committed_attempt,
    read_back,
)
from tests.integration.postgres.builders import NOW, ZERO, fixed_exam

GRACE = timedelta(seconds=30)


async def test_overdue_attempts_come_earliest_first(attempt_side: AttemptSide) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    later = await committed_attempt(attempt_side, exam, now=NOW + timedelta(minutes=1))
    earlier = await committed_attempt(attempt_side, exam, now=NOW)
    due = later.timer.deadline + GRACE
    async with attempt_side.unit() as unit:
        found = await unit.overdue.overdue_ids(due, ZERO, limit=10_000)
        assert [i for i in found if i in {earlier.id, later.id}] == [earlier.id, later.id]
        not_yet = await unit.overdue.overdue_ids(earlier.timer.deadline, ZERO, limit=10_000)
        assert earlier.id not in not_yet


async def test_a_locked_overdue_attempt_is_skipped_by_another_unit(
    attempt_side: AttemptSide,
) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    first = await committed_attempt(attempt_side, exam)
    second = await committed_attempt(attempt_side, exam)
    due = first.timer.deadline + GRACE
    among = [first.id, second.id]
    async with attempt_side.unit() as mine, attempt_side.unit() as theirs:
        locked = await mine.overdue.lock_overdue(due, ZERO, 1, among=among)
        assert len(locked) == 1
        skipped = await theirs.overdue.lock_overdue(due, ZERO, 10, among=among)
        assert [a.id for a in skipped] == [i for i in among if i != locked[0].id]


async def test_a_locked_batch_is_written_back_at_once(attempt_side: AttemptSide) -> None:
    exam = fixed_exam()
    await attempt_side.store_exam(exam)
    batch = [await committed_attempt(attempt_side, exam) for _ in range(3)]
    due = batch[0].timer.deadline + GRACE
    async with attempt_side.unit() as unit:
        locked = await unit.overdue.lock_overdue(due, ZERO, 10, among=[a.id for a in batch])
        for attempt in locked:
            attempt.expire(exam, due, ZERO)
        await unit.overdue.update_all(locked)
        await unit.transaction.commit()
    for attempt in batch:
        stored = await read_back(attempt_side, attempt)
        assert stored.status is AttemptStatus.EXPIRED
        async with attempt_side.unit() as unit:
            kinds = [event.kind for event in await unit.audit_trail.events(attempt.id)]
        assert kinds == [EventKind.STARTED, EventKind.EXPIRED]


async def test_the_trail_is_oldest_first_and_appending_changes_no_attempt(
    attempt_side: AttemptSide,
) -> None:
    attempt = await committed_attempt(attempt_side)
    resumed_at = NOW + timedelta(minutes=2)
    async with attempt_side.unit() as unit:
        found = await unit.attempts.get(attempt.id)
        assert found is not None
        found.record_resumed(resumed_at)
        await unit.audit_trail.append_events(found)
        assert found.pending_events == []
        await unit.transaction.commit()
    async with attempt_side.unit() as unit:
        events = await unit.audit_trail.events(attempt.id)
    assert [(e.kind, e.version) for e in events] == [
        (EventKind.STARTED, 0),
        (EventKind.RESUMED, 0),
    ]
    assert events[-1].at == resumed_at
    assert (await read_back(attempt_side, attempt)).version == 0


async def test_an_unknown_attempt_has_no_trail(attempt_side: AttemptSide) -> None:
    from uuid import uuid4

    async with attempt_side.unit() as unit:
        assert await unit.audit_trail.events(uuid4()) == []


async def test_an_attempt_whose_timed_section_ran_out_is_found_and_locked(
    attempt_side: AttemptSide,
) -> None:
    sections = (
        Section(id="first", question_ids=("q1",), duration=timedelta(minutes=1)),
        Section(id="second", question_ids=("q2", "q3")),
    )
    exam = replace(fixed_exam(), sections=sections)
    await attempt_side.store_exam(exam)
    attempt = await committed_attempt(attempt_side, exam)
    due = NOW + timedelta(minutes=1) + GRACE
    async with attempt_side.unit() as unit:
        early = await unit.overdue.overdue_ids(due - timedelta(seconds=1), GRACE, limit=10_000)
        assert attempt.id not in early
        locked = await unit.overdue.lock_overdue(due, GRACE, 10, among=[attempt.id])
        assert [a.id for a in locked] == [attempt.id]
        assert locked[0].section_overdue(due, GRACE)
