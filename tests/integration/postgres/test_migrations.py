from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg  # type: ignore[import-untyped]
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from infrastructure.postgres.database import create_engine
from infrastructure.postgres.migrations import downgrade_database, upgrade_database
from infrastructure.postgres.models import ExamRow
from tests.backend import Backend

pytestmark = pytest.mark.integration

TABLES = {"accommodations", "alembic_version", "attempt_events", "attempts", "exams", "questions"}


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

    await asyncio.to_thread(downgrade_database, fresh_database)
    assert await tables(fresh_database) == {"alembic_version"}

    await asyncio.to_thread(upgrade_database, fresh_database)
    assert await tables(fresh_database) == TABLES


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
