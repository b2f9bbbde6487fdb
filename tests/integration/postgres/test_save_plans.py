"""The save statements look their attempt up by primary key, whatever the statistics of
the partial index of attempts in progress say (issue 19: on a database of a year of
finished attempts, that index looked empty to the planner after autovacuum, and every
save scanned every attempt in progress)."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import asyncpg  # type: ignore[import-untyped]
import pytest

from infrastructure.postgres.answer_writes import CLEAR_ANSWER, RECORD_RESPONSE, SAVE_ANSWER
from tests.backend import Backend

pytestmark = pytest.mark.integration

NOW = datetime(2031, 5, 6, 9, 30, tzinfo=UTC)
SAVE = [uuid4(), NOW, NOW, None, "answer_saved", "{}", "q1", '"B"']
RESPONSE = [uuid4(), "i1", "a", NOW, NOW, None, 0, "response_recorded", "{}"]


@pytest.mark.parametrize(
    ("statement", "arguments"),
    [(SAVE_ANSWER, SAVE), (CLEAR_ANSWER, SAVE[:7]), (RECORD_RESPONSE, RESPONSE)],
    ids=["save", "clear", "response"],
)
async def test_the_attempt_is_found_by_primary_key_when_the_index_looks_empty(
    backend: Backend, statement: str, arguments: list[object]
) -> None:
    connection = await asyncpg.connect(backend.database_url)
    try:
        async with connection.transaction():
            # What VACUUM leaves after a night with nothing in progress (rolled back below);
            # this test's small table would be read whole, so the choice left is the index.
            await connection.execute(
                "UPDATE pg_class SET reltuples = 0"
                " WHERE relname = 'ix_attempts_in_progress_deadline'"
            )
            await connection.execute("SET LOCAL enable_seqscan = off")
            for mode in ("force_custom_plan", "force_generic_plan"):
                await connection.execute(f"SET LOCAL plan_cache_mode = {mode}")
                rows = await connection.fetch(f"EXPLAIN {statement}", *arguments)
                plan = "\n".join(row[0] for row in rows)
                assert "ix_attempts_in_progress_deadline" not in plan, plan
                assert "pk_attempts" in plan, plan
            raise _RollBack
    except _RollBack:
        pass
    finally:
        await connection.close()


class _RollBack(Exception):
    """Leaves the statistics as they were."""
