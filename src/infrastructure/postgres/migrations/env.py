"""Alembic environment: runs the scripts in versions/ on the engine advanced-alchemy hands over."""

from __future__ import annotations

import asyncio
from typing import cast

from advanced_alchemy.alembic.commands import AlembicCommandConfig
from alembic import context
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from infrastructure.postgres.models import ExamRow

config = cast(AlembicCommandConfig, context.config)
# The models' metadata, so that `alembic check` can compare it with the scripts.
target_metadata = ExamRow.metadata
# Replicas started together each run `serve`'s upgrade: one at a time, under this advisory
# lock (any constant bigint; "hourglas" in ASCII), so the first migrates and the others,
# reading alembic_version only once they hold the lock, find the schema at head and do
# nothing. A transaction-level lock: released by the commit, or with the connection when
# the process dies, so a crashed upgrade never blocks the next.
MIGRATION_LOCK_KEY = 0x686F7572676C6173


def _run_offline() -> None:
    context.configure(
        url=config.db_url,
        target_metadata=target_metadata,
        literal_binds=True,
        version_table=config.version_table_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        version_table=config.version_table_name,
    )
    with context.begin_transaction():
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        context.run_migrations()


async def _run_online() -> None:
    engine = cast(AsyncEngine, config.engine)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


if context.is_offline_mode():
    _run_offline()
else:
    asyncio.run(_run_online())
