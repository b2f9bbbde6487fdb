"""`hourglass archive-events` against real PostgreSQL: finished attempts' events move to
the archive in batches, and every reader still sees the whole trail: the audit trail,
the attempt reads, calibration's response sheets and item exposure."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.use_cases.archive_events import ArchiveFinishedEvents, ArchiveReport
from domain.attempt import Attempt
from domain.events import AttemptEvent
from domain.exam import Exam
from domain.regrade import Regrade
from infrastructure.postgres.calibrations import SqlCalibrationQueue
from infrastructure.postgres.event_archive import SqlEventArchive
from infrastructure.postgres.item_exposure import SqlItemExposure
from infrastructure.postgres.sessions import OneSession
from infrastructure.postgres.transaction import SqlTransaction
from tests.integration.postgres.builders import (
    NOW,
    ZERO,
    adaptive_exam,
    answer_writes,
    attempts_in,
    audit_trail_in,
    committed_attempts,
    final_writes,
    fixed_exam,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration

HOUR = timedelta(hours=1)
FIVE = timedelta(minutes=5)


async def archive(
    sessions: async_sessionmaker[AsyncSession], before: object, batch_size: int = 1
) -> ArchiveReport:
    async with sessions() as session:
        one = OneSession(session)
        use_case = ArchiveFinishedEvents(SqlEventArchive(one), SqlTransaction(one))
        return await use_case(before, batch_size=batch_size)  # type: ignore[arg-type]


async def stored_attempt(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, *, submit_at: timedelta | None
) -> Attempt:
    """An attempt with two answers, submitted `submit_at` after NOW (None: in progress)."""
    attempt = started(exam)
    attempt.save_answer(exam.question("q1"), "a", now=NOW, network_grace=ZERO)
    attempt.save_answer(exam.question("q2"), "c", now=NOW, network_grace=ZERO)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    if submit_at is not None:
        async with sessions() as session:
            attempts = attempts_in(session)
            locked = await attempts.get_for_update(attempt.id)
            assert locked is not None
            locked.submit(exam, NOW + submit_at)
            await attempts.update(locked)
            await session.commit()
    return attempt


async def trail(sessions: async_sessionmaker[AsyncSession], attempt_id: UUID) -> list[AttemptEvent]:
    async with sessions() as session:
        return await audit_trail_in(session).events(attempt_id)


async def counts(sessions: async_sessionmaker[AsyncSession], attempt_id: UUID) -> tuple[int, int]:
    """(events in attempt_events, events in the archive) of one attempt."""
    async with sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT (SELECT count(*) FROM attempt_events WHERE attempt_id = :id),"
                    " (SELECT count(*) FROM attempt_events_archive WHERE attempt_id = :id)"
                ),
                {"id": attempt_id},
            )
        ).one()
    return row[0], row[1]


async def test_finished_attempts_events_move_and_the_trail_reads_the_same(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, fixed_exam(closes_at=None))
    old = [await stored_attempt(sessions, exam, submit_at=timedelta(minutes=m)) for m in (5, 9)]
    recent = await stored_attempt(sessions, exam, submit_at=3 * HOUR)
    running = await stored_attempt(sessions, exam, submit_at=None)
    before = {a.id: await trail(sessions, a.id) for a in (*old, recent, running)}

    # Attempts of other tests share the database: count only what this test's attempts did.
    report = await archive(sessions, NOW + HOUR, batch_size=1)
    assert report.batches >= 2
    for attempt in old:
        assert await counts(sessions, attempt.id) == (0, 4)  # started, two answers, submitted
    assert await counts(sessions, recent.id) == (4, 0)
    assert await counts(sessions, running.id) == (3, 0)
    for attempt_id, events in before.items():
        assert await trail(sessions, attempt_id) == events

    again = await archive(sessions, NOW + HOUR, batch_size=50)
    assert again.events == 0  # nothing left to move before that time: it is resumable
    later = await archive(sessions, NOW + 4 * HOUR, batch_size=50)
    assert later.events >= 4
    assert await counts(sessions, recent.id) == (0, 4)
    assert await counts(sessions, running.id) == (3, 0)
    assert await trail(sessions, recent.id) == before[recent.id]


async def vacuumed_at(sessions: async_sessionmaker[AsyncSession]) -> dict[str, object]:
    async with sessions() as session:
        rows = await session.execute(
            text(
                "SELECT relname, last_vacuum FROM pg_stat_user_tables"
                " WHERE relname IN ('attempt_events', 'attempt_events_archive')"
            )
        )
        return {row.relname: row.last_vacuum for row in rows}


async def test_after_moving_events_both_tables_are_vacuumed_unless_asked_not_to(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, fixed_exam(closes_at=None))
    await stored_attempt(sessions, exam, submit_at=timedelta(minutes=5))
    before = await vacuumed_at(sessions)
    async with sessions() as session:
        one = OneSession(session)
        use_case = ArchiveFinishedEvents(SqlEventArchive(one), SqlTransaction(one))
        kept = await use_case(NOW + HOUR, batch_size=10, reclaim=False)  # type: ignore[arg-type]
    assert kept.events >= 4
    assert not kept.reclaimed
    assert await vacuumed_at(sessions) == before

    await stored_attempt(sessions, exam, submit_at=timedelta(minutes=6))
    report = await archive(sessions, NOW + HOUR, batch_size=10)
    assert report.events >= 4
    assert report.reclaimed
    after = await vacuumed_at(sessions)
    for table in ("attempt_events", "attempt_events_archive"):
        assert after[table] is not None
        assert after[table] != before.get(table)

    nothing = await archive(sessions, NOW + HOUR, batch_size=10)
    assert nothing.events == 0
    assert not nothing.reclaimed


async def test_events_added_after_archiving_join_the_trail_in_order(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, fixed_exam(closes_at=None))
    attempt = await stored_attempt(sessions, exam, submit_at=timedelta(minutes=5))
    await archive(sessions, NOW + HOUR, batch_size=100)
    async with sessions() as session:  # e.g. a regrade's event, written to the live table
        await session.execute(
            text(
                "INSERT INTO attempt_events (attempt_id, version, kind, at, data)"
                " VALUES (:id, 9, 'attempt_rescored', :at, '{}')"
            ),
            {"id": attempt.id, "at": NOW + 2 * HOUR},
        )
        await session.commit()
    events = await trail(sessions, attempt.id)
    assert [event.version for event in events] == [0, 1, 2, 3, 9]


async def finished_adaptive_attempt(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, *, finished_after: timedelta = FIVE
) -> Attempt:
    """An attempt given i0 and i1 through the response write, then marked submitted
    `finished_after` NOW (the default, before any cutoff these tests archive at), as read back."""
    attempt = started(exam, now=NOW)
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    soon = NOW + timedelta(minutes=5)
    for item_id, option, before in (("i0", "a", 0), ("i1", "b", 1)):
        async with sessions() as session:
            current = await attempts_in(session).get(attempt.id)
        assert current is not None
        change = current.response_change(
            item_id, option, administered=exam.question(item_id), now=soon, network_grace=ZERO
        )
        async with sessions() as session:
            await answer_writes().apply_response(
                change, answers_close_after=soon, responses_before=before
            )
            await session.commit()
    async with sessions() as session:  # finished, as far as the archive is concerned
        await session.execute(
            text("UPDATE attempts SET status = 'submitted', updated_at = :at WHERE id = :id"),
            {"id": attempt.id, "at": NOW + finished_after},
        )
        await session.commit()
        stored = await attempts_in(session).get(attempt.id)
    assert stored is not None
    assert len(stored.responses) == 2
    return stored


async def test_an_adaptive_attempts_responses_survive_archiving(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, adaptive_exam())
    stored = await finished_adaptive_attempt(sessions, exam)

    await archive(sessions, NOW + HOUR, batch_size=100)
    assert (await counts(sessions, stored.id))[0] == 0
    async with sessions() as session:
        archived = await attempts_in(session).get(stored.id)
    assert archived is not None
    assert archived.responses == stored.responses
    # The asyncpg reads (a stream's committed read, the submit's) find them there too.
    committed = await committed_attempts().get(stored.id)
    assert committed is not None
    assert committed.responses == stored.responses

    async def leave_as_is(read: Attempt, regrades: list[Regrade]) -> bool:
        return False  # read it only: nothing to write back

    finalised = await final_writes().finalise(stored.id, leave_as_is)
    assert finalised is not None
    assert finalised.responses == stored.responses


async def test_calibration_reads_archived_and_live_attempts_responses(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, adaptive_exam())
    archived = await finished_adaptive_attempt(sessions, exam)
    live = await finished_adaptive_attempt(sessions, exam, finished_after=2 * HOUR)
    queue = SqlCalibrationQueue(sessions)  # no worker: only its read of the sheets
    before = {sheet.attempt_id: sheet for sheet in await queue.response_sheets(exam.id)}
    assert {key: sheet.responses for key, sheet in before.items()} == {
        archived.id: archived.responses,
        live.id: live.responses,
    }

    await archive(sessions, NOW + HOUR, batch_size=100)
    assert (await counts(sessions, archived.id))[0] == 0
    assert (await counts(sessions, live.id))[1] == 0
    after = {sheet.attempt_id: sheet for sheet in await queue.response_sheets(exam.id)}
    assert after == before


async def test_item_exposure_counts_archived_and_live_attempts_items(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    exam = await stored_exam(sessions, adaptive_exam())
    archived = await finished_adaptive_attempt(sessions, exam)
    live = await finished_adaptive_attempt(sessions, exam, finished_after=2 * HOUR)
    async with sessions() as session:
        before = await SqlItemExposure(OneSession(session)).of_exam(exam.id)
    assert (before.attempts, dict(before.administered)) == (2, {"i0": 2, "i1": 2})

    await archive(sessions, NOW + HOUR, batch_size=100)
    assert (await counts(sessions, archived.id))[0] == 0
    assert (await counts(sessions, live.id))[1] == 0
    async with sessions() as session:
        after = await SqlItemExposure(OneSession(session)).of_exam(exam.id)
    assert (after.attempts, dict(after.administered)) == (2, {"i0": 2, "i1": 2})
