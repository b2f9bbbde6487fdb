"""Replicas started together: three `hourglass db upgrade` at once on a fresh database.

Each process runs the migrations under one PostgreSQL advisory lock (migrations/env.py),
so one migrates and the others find the schema at head. Without the lock they raced:
the others failed on tables the first had just created.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import pytest
from alembic.script import ScriptDirectory

from infrastructure.postgres import migrations
from tests.backend import Backend

pytestmark = pytest.mark.integration

REPLICAS = 3
IMPORT_SECONDS = 15.0  # enough to import the migrations on a busy machine


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


async def _execute(url: str, statement: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(statement))
    finally:
        await connection.close()


@pytest.fixture
async def fresh_database(backend: Backend) -> AsyncIterator[str]:
    server = _with_database(backend.database_url, "postgres")
    name = f"hourglass_replicas_{uuid.uuid4().hex[:10]}"
    await _execute(server, f'CREATE DATABASE "{name}"')
    try:
        yield _with_database(backend.database_url, name)
    finally:
        await _execute(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# Each replica imports everything first, then upgrades at the same instant: started as
# plain `hourglass db upgrade` commands, the seconds of imports on a busy machine spread
# them out so far that even unlocked upgrades rarely met.
_UPGRADE_AT = """
import sys, time
from infrastructure.postgres.migrations import upgrade_database
time.sleep(max(0.0, float(sys.argv[2]) - time.time()))
upgrade_database(sys.argv[1])
"""


async def _upgrade(database_url: str, at: float) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", _UPGRADE_AT, database_url, str(at),
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), timeout=120)
    return process.returncode or 0, output.decode(errors="replace")


async def test_replicas_starting_together_migrate_once(fresh_database: str) -> None:
    at = time.time() + IMPORT_SECONDS
    results = await asyncio.gather(*(_upgrade(fresh_database, at) for _ in range(REPLICAS)))

    for code, output in results:
        assert code == 0, output
    versions = await _execute(fresh_database, f"SELECT version_num FROM {migrations.VERSION_TABLE}")
    script = ScriptDirectory(str(Path(migrations.__file__).parent))
    assert [row["version_num"] for row in versions] == [script.get_current_head()]
    tables = await _execute(
        fresh_database, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 'attempts'"
    )
    assert tables[0]["n"] == 1
