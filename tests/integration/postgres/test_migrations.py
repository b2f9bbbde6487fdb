from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import async_sessionmaker

from domain.responses import Response
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.database import create_engine
from infrastructure.postgres.migrations import downgrade_database, upgrade_database
from infrastructure.postgres.models import ExamRow
from infrastructure.postgres.sessions import OneSession
from tests.backend import Backend

pytestmark = pytest.mark.integration

TABLES = {"accommodations", "alembic_version", "attempt_events", "attempts", "exams", "questions"}
# Migration 0008: webhook registrations, the outbox and its deliveries.
TABLES |= {"webhooks", "webhook_events", "webhook_deliveries"}
# Migration 0009: regrades kept beside the immutable exam.
TABLES |= {"exam_regrades"}
# Migration 0011: proficiency estimates and calibration jobs.
TABLES |= {"proficiency_estimates", "calibrations"}
# Migration 0012: finished attempts' events, archived.
TABLES |= {"attempt_events_archive"}
# Migration 0014: an attempt's events, live and archived, as one.
VIEWS = {"every_attempt_event"}


def with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def tables(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["tablename"] for row in rows}


async def views(url: str) -> set[str]:
    connection = await asyncpg.connect(url)
    try:
        rows = await connection.fetch("SELECT viewname FROM pg_views WHERE schemaname = 'public'")
    finally:
        await connection.close()
    return {row["viewname"] for row in rows}


@pytest.fixture
async def fresh_database(backend: Backend) -> AsyncIterator[str]:
    """An empty database of our own on the backend's server, dropped afterwards."""
    server = with_database(backend.database_url, "postgres")
    name = f"hourglass_stairway_{uuid.uuid4().hex[:10]}"
    await admin(server, f'CREATE DATABASE "{name}"')
    try:
        yield with_database(backend.database_url, name)
    finally:
        await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_migrations_go_up_down_and_up_again(fresh_database: str) -> None:
    # From a running loop the blocking migration functions run in a worker thread.
    await asyncio.to_thread(upgrade_database, fresh_database)
    assert await tables(fresh_database) == TABLES
    assert await views(fresh_database) == VIEWS

    await asyncio.to_thread(downgrade_database, fresh_database)
    assert await tables(fresh_database) == {"alembic_version"}
    assert await views(fresh_database) == set()

    await asyncio.to_thread(upgrade_database, fresh_database)
    assert await tables(fresh_database) == TABLES
    assert await views(fresh_database) == VIEWS


async def test_the_migrated_schema_matches_the_models(backend: Backend) -> None:
    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found: list[Any] = compare_metadata(context, ExamRow.metadata)
        return found

    engine = create_engine(backend.database_url, pool_size=1)
    try:
        async with engine.connect() as connection:
            diff = await connection.run_sync(differences)
    finally:
        await engine.dispose()

    assert diff == []


RESPONSES = [
    {"item_id": "i7", "option": "a", "correct": True},
    {"item_id": "i2", "option": "c", "correct": False},
]


async def _adaptive_attempt_at_0003(url: str, *, events: int) -> uuid.UUID:
    """An adaptive attempt as revision 0003 stored it: responses in a JSONB list, and
    `events` of its response_recorded events (the first ones)."""
    exam_id, attempt_id = uuid.uuid4(), uuid.uuid4()
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(
            "INSERT INTO exams (id, title, mode, duration_seconds, grace_seconds, max_attempts)"
            " VALUES ($1, 'CAT', 'adaptive', 600, 0, 1)",
            exam_id,
        )
        await connection.execute(
            "INSERT INTO attempts (id, exam_id, candidate_id, number, mode, status, started_at,"
            " duration_seconds, time_multiplier, extra_seconds, extension_seconds,"
            " paused_seconds, grace_seconds, deadline, version, answers, updated_at, responses)"
            " VALUES ($1, $2, 'ada', 1, 'adaptive', 'in_progress', now(), 600, 1, 0, 0, 0, 0,"
            ' now() + interval \'10 minutes\', 2, \'{"i7": "a", "i2": "c"}\', now(), $3)',
            attempt_id,
            exam_id,
            json.dumps(RESPONSES),
        )
        for version, response in enumerate(RESPONSES[:events], start=1):
            await connection.execute(
                "INSERT INTO attempt_events (attempt_id, version, kind, at, data)"
                " VALUES ($1, $2, 'response_recorded', now(), $3)",
                attempt_id,
                version,
                json.dumps(response),
            )
    finally:
        await connection.close()
    return attempt_id


async def _column(url: str, column: str, attempt_id: uuid.UUID) -> Any:
    connection = await asyncpg.connect(url)
    try:
        return await connection.fetchval(f"SELECT {column} FROM attempts WHERE id = $1", attempt_id)
    finally:
        await connection.close()


async def test_responses_move_to_their_events_and_back(fresh_database: str) -> None:
    await asyncio.to_thread(upgrade_database, fresh_database, "0003")
    attempt_id = await _adaptive_attempt_at_0003(fresh_database, events=2)

    await asyncio.to_thread(upgrade_database, fresh_database)
    assert await _column(fresh_database, "response_count", attempt_id) == 2
    engine = create_engine(fresh_database, pool_size=1)
    try:
        async with async_sessionmaker(engine)() as session:
            attempt = await SqlAttempts(OneSession(session)).get(attempt_id)
    finally:
        await engine.dispose()
    assert attempt is not None
    assert attempt.responses == tuple(Response(**response) for response in RESPONSES)

    await asyncio.to_thread(downgrade_database, fresh_database, "0003")
    assert json.loads(await _column(fresh_database, "responses", attempt_id)) == RESPONSES


async def test_the_upgrade_stops_where_responses_and_events_disagree(fresh_database: str) -> None:
    await asyncio.to_thread(upgrade_database, fresh_database, "0003")
    await _adaptive_attempt_at_0003(fresh_database, events=1)

    with pytest.raises(Exception, match="responses and response_recorded events differ"):
        await asyncio.to_thread(upgrade_database, fresh_database)
