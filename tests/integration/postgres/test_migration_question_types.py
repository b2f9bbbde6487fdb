"""Revision 0005: question types and typed answers over data written before them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import asyncpg  # type: ignore[import-untyped]
import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.questions import SingleChoice
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.database import create_engine
from infrastructure.postgres.exam_cache import ExamCache
from infrastructure.postgres.exams import SqlExamRepository
from infrastructure.postgres.migrations import downgrade_database, upgrade_database
from infrastructure.postgres.sessions import OneSession
from tests.backend import Backend
from tests.integration.postgres.test_migrations import admin, with_database

pytestmark = pytest.mark.integration


@pytest.fixture
async def fresh_database(backend: Backend) -> AsyncIterator[str]:
    server = with_database(backend.database_url, "postgres")
    name = f"hourglass_types_{uuid.uuid4().hex[:10]}"
    await admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(backend.database_url, name)
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _single_choice_exam_at_0004(url: str) -> tuple[uuid.UUID, uuid.UUID]:
    """An exam, a question and a submitted attempt as revision 0004 stored them."""
    exam_id, attempt_id = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO exams (id, title, mode, duration_seconds, grace_seconds, max_attempts)"
            " VALUES ($1, 'Old', 'fixed', 600, 0, 1)",
            exam_id,
        )
        await connection.execute(
            "INSERT INTO questions (exam_id, id, position, stem, options, correct_key, points)"
            ' VALUES ($1, \'q1\', 0, \'2+2?\', \'[{"key": "A", "text": "4"},'
            ' {"key": "B", "text": "5"}]\', \'A\', 2)',
            exam_id,
        )
        await connection.execute(
            "INSERT INTO attempts (id, exam_id, candidate_id, number, mode, status, started_at,"
            " duration_seconds, time_multiplier, extra_seconds, extension_seconds,"
            " paused_seconds, grace_seconds, deadline, version, answers, updated_at, result)"
            " VALUES ($1, $2, 'ada', 1, 'fixed', 'submitted', now(), 600, 1, 0, 0, 0, 0,"
            " now() + interval '10 minutes', 2, '{\"q1\": \"A\"}', now(),"
            ' \'{"status": "submitted", "score": 2, "max_score": 2, "answered": 1,'
            ' "correct": 1, "finished_at": "2026-12-01T10:00:00+00:00",'
            ' "time_taken_seconds": 60, "theta": null, "se": null}\')',
            attempt_id,
            exam_id,
        )
    finally:
        await connection.close()
    return exam_id, attempt_id


async def test_single_choice_data_reads_the_same_after_the_upgrade(fresh_database: str) -> None:
    await asyncio.to_thread(upgrade_database, fresh_database, "0004")
    exam_id, attempt_id = await _single_choice_exam_at_0004(fresh_database)

    # Through 0005 and on to the head: today's models also read the columns added since.
    await asyncio.to_thread(upgrade_database, fresh_database, "head")
    engine = create_engine(fresh_database, pool_size=1)
    try:
        async with async_sessionmaker(engine)() as session:
            exam = await SqlExamRepository(OneSession(session), ExamCache()).get(exam_id)
            attempt = await SqlAttempts(OneSession(session)).get(attempt_id)
    finally:
        await engine.dispose()
    assert exam is not None
    assert attempt is not None
    assert exam.questions[0].answer_key == SingleChoice(correct_key="A")
    assert attempt.answers == {"q1": "A"}
    assert attempt.result is not None
    assert (attempt.result.score, attempt.result.pending_points, attempt.result.scored) == (
        2,
        0.0,
        True,
    )
    assert attempt.awarded == {}
    assert exam.score(attempt.answers).score == 2

    await asyncio.to_thread(downgrade_database, fresh_database, "0004")
    connection = await asyncpg.connect(fresh_database)
    try:
        key = await connection.fetchval(
            "SELECT correct_key FROM questions WHERE exam_id = $1", exam_id
        )
    finally:
        await connection.close()
    assert key == "A"


async def test_the_downgrade_refuses_while_other_types_exist(fresh_database: str) -> None:
    await asyncio.to_thread(upgrade_database, fresh_database, "0005")
    exam_id = uuid.uuid4()
    connection = await asyncpg.connect(fresh_database)
    try:
        await connection.execute(
            "INSERT INTO exams (id, title, mode, duration_seconds, grace_seconds, max_attempts)"
            " VALUES ($1, 'New', 'fixed', 600, 0, 1)",
            exam_id,
        )
        await connection.execute(
            "INSERT INTO questions (exam_id, id, position, stem, options, points, type, definition)"
            " VALUES ($1, 'e', 0, 'Discuss', '[]', 1, 'essay', '{\"max_length\": 100}')",
            exam_id,
        )
        with pytest.raises(asyncpg.CheckViolationError):
            await connection.execute(
                "INSERT INTO questions (exam_id, id, position, stem, options, points)"
                " VALUES ($1, 'q', 1, 'Pick', '[]', 1)",
                exam_id,
            )
    finally:
        await connection.close()

    with pytest.raises(Exception, match="cannot downgrade"):
        await asyncio.to_thread(downgrade_database, fresh_database, "0004")
