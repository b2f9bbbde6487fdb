"""The start's and the submit's asyncpg statements write what the ORM path writes: every
column of the attempt, the audit events, the outbox events (with a webhook registered)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.attempt import Attempt
from domain.exam import Exam
from domain.regrade import Regrade, regraded
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.asyncpg_rows import column_parameters
from infrastructure.postgres.attempt_starts import AsyncpgAttemptStarts
from infrastructure.postgres.final_writes import AsyncpgFinalWrites
from tests.backend import Backend
from tests.integration.postgres.builders import (
    NOW,
    attempts_in,
    fixed_exam,
    started,
    stored_exam,
)

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(minutes=3)
# Columns that differ between two attempts by construction.
_OWN = {"id", "candidate_id"}


@pytest.fixture
async def connections(backend: Backend) -> AsyncIterator[AnswerConnections]:
    connections = AnswerConnections(backend.database_url, size=2)
    yield connections
    await connections.close()


@pytest.fixture
async def subscribed(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[UUID]:
    """A webhook that wants the start and the submit, so both write outbox events."""
    webhook_id = uuid4()
    async with sessions() as session:
        await session.execute(
            text(
                "INSERT INTO webhooks (id, url, events, secret)"
                " VALUES (:id, 'http://127.0.0.1:9/hook', :events, 'sealed')"
            ),
            {"id": webhook_id, "events": ["attempt.started", "attempt.submitted"]},
        )
        await session.commit()
    yield webhook_id
    async with sessions() as session:
        await session.execute(text("DELETE FROM webhooks WHERE id = :id"), {"id": webhook_id})
        await session.commit()


async def _row(sessions: async_sessionmaker[AsyncSession], attempt: Attempt) -> dict[str, Any]:
    attempt_id = attempt.id
    async with sessions() as session:
        found = await session.execute(
            text("SELECT * FROM attempts WHERE id = :id"), {"id": attempt_id}
        )
        row = dict(found.mappings().one())
        events = await session.execute(
            text("SELECT version, kind, at, data FROM attempt_events WHERE attempt_id = :id"
                 " ORDER BY id"),
            {"id": attempt_id},
        )  # fmt: skip
        row["events"] = [tuple(event) for event in events]
        outbox = await session.execute(
            text(
                "SELECT event.type, event.occurred_at, event.data::text, event.fanned_out"
                " FROM webhook_events AS event"
                " WHERE event.subject_id = :id ORDER BY event.id"
            ),
            {"id": attempt_id},
        )
        # The payloads name the attempt and its candidate: compared without them.
        row["outbox"] = [
            (kind, at, data.replace(str(attempt_id), "-").replace(attempt.candidate_id, "-"), to)
            for kind, at, data, to in outbox
        ]
    return {name: value for name, value in row.items() if name not in _OWN}


async def _through_the_orm(
    sessions: async_sessionmaker[AsyncSession], exam: Exam, attempt: Attempt
) -> None:
    async with sessions() as session:
        await attempts_in(session).add(attempt, number=1)
        await session.commit()
    async with sessions() as session:
        locked = await attempts_in(session).get_for_update(attempt.id)
        assert locked is not None
        locked.save_answer(exam.question("q1"), "a", now=NOW, network_grace=timedelta(0))
        await attempts_in(session).update(locked)
        await session.commit()
    async with sessions() as session:
        locked = await attempts_in(session).get_for_update(attempt.id)
        assert locked is not None
        locked.submit(exam, LATER)
        await attempts_in(session).update(locked)
        await session.commit()


async def _through_asyncpg(
    sessions: async_sessionmaker[AsyncSession],
    connections: AnswerConnections,
    exam: Exam,
    attempt: Attempt,
) -> None:
    await AsyncpgAttemptStarts(connections).begin(attempt, number=1)
    async with sessions() as session:
        locked = await attempts_in(session).get_for_update(attempt.id)
        assert locked is not None
        locked.save_answer(exam.question("q1"), "a", now=NOW, network_grace=timedelta(0))
        await attempts_in(session).update(locked)
        await session.commit()

    async def submit(locked: Attempt, regrades: list[Regrade]) -> bool:
        locked.submit(regraded(exam, regrades), LATER)
        return True

    await AsyncpgFinalWrites(connections).finalise(attempt.id, submit)


async def test_start_and_submit_write_the_rows_the_orm_writes(
    sessions: async_sessionmaker[AsyncSession],
    connections: AnswerConnections,
    subscribed: UUID,
) -> None:
    exam = await stored_exam(sessions, fixed_exam())
    by_orm, by_asyncpg = started(exam), started(exam)
    await _through_the_orm(sessions, exam, by_orm)
    await _through_asyncpg(sessions, connections, exam, by_asyncpg)
    orm_row, asyncpg_row = await _row(sessions, by_orm), await _row(sessions, by_asyncpg)
    assert asyncpg_row == orm_row
    assert [entry[0] for entry in asyncpg_row["outbox"]] == [
        "attempt.started",
        "attempt.submitted",
    ]
    # The change writes the event only; a dispatcher fans it out to the webhook later.
    assert {entry[3] for entry in asyncpg_row["outbox"]} == {False}


def test_a_column_the_table_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="not columns of attempts"):
        column_parameters({"id": uuid4(), "no_such_column": 1}, prefix="attempt_")
