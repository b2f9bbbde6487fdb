"""The conditional answer write, straight on asyncpg: the hot path's single round trip.

Autosave is the most frequent request. One statement changes the answer sheet, bumps the
version and appends the audit event, and PostgreSQL evaluates every condition (status,
pause, deadline, version) against the row as it is when the UPDATE locks it, so the
database is the final arbiter: of concurrent writers carrying the same expected version,
exactly one matches. The statement runs on its own, in autocommit, through asyncpg's
prepared-statement cache: no BEGIN or COMMIT round trips and no ORM work, and it is
durable (synchronous commit) when it returns. The late mark is PostgreSQL's too: it
compares against the deadline it holds, not the caller's possibly stale copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg
import msgspec

from domain.attempt import AnswerChange
from infrastructure.postgres.errors import translate_errors

_TEMPLATE = """
WITH updated AS (
    UPDATE attempts
    SET answers = {answers}, version = version + 1, updated_at = $2
    WHERE id = $1
      AND status = 'in_progress'
      AND paused_at IS NULL
      AND deadline > $3
      AND ($4::integer IS NULL OR version = $4::integer)
    RETURNING id, version, deadline
), logged AS (
    INSERT INTO attempt_events (attempt_id, version, kind, at, data)
    SELECT id, version, $5, $2,
           CASE WHEN deadline <= $2 THEN $6::jsonb || '{{"late": true}}'::jsonb ELSE $6::jsonb END
    FROM updated
)
SELECT version, deadline, deadline <= $2 AS late FROM updated
"""
SAVE_ANSWER = _TEMPLATE.format(answers="answers || jsonb_build_object($7::text, $8::text)")
CLEAR_ANSWER = _TEMPLATE.format(answers="answers - $7::text")


@dataclass(frozen=True, slots=True)
class WrittenAnswer:
    version: int
    deadline: datetime
    late: bool


class AsyncpgAnswerWrites:
    """Runs the answer write on a pool of plain asyncpg connections (app-scoped)."""

    def __init__(self, pool: asyncpg.Pool) -> None:
        self._pool = pool

    @translate_errors
    async def apply(
        self, change: AnswerChange, answers_close_after: datetime
    ) -> WrittenAnswer | None:
        data = {key: value for key, value in change.event.data.items() if key != "late"}
        arguments: list[Any] = [
            change.attempt_id,
            change.event.at,
            answers_close_after,
            change.expected_version,
            change.event.kind.value,
            msgspec.json.encode(data).decode(),
            change.question_id,
        ]
        if change.option is not None:
            arguments.append(change.option)
        statement = CLEAR_ANSWER if change.option is None else SAVE_ANSWER
        async with self._pool.acquire() as connection:
            row = await connection.fetchrow(statement, *arguments)
        return None if row is None else WrittenAnswer(row["version"], row["deadline"], row["late"])


async def _keep_session(_: asyncpg.Connection) -> None:
    """No reset query on release: these connections never change session state, and the
    default reset (UNLISTEN, RESET ALL, …) would cost a round trip per request."""


async def create_answer_pool(database_url: str, *, size: int) -> asyncpg.Pool:
    """The asyncpg pool of the answer write; `database_url` is a plain postgresql:// URL."""
    return await asyncpg.create_pool(
        database_url,
        # Connect on first use, inside the error translation: a database that is down when
        # the process starts means 503s until it is back, not a process that cannot start.
        min_size=0,
        max_size=size,
        reset=_keep_session,
        timeout=5.0,
        command_timeout=10.0,
        server_settings={"jit": "off"},
    )
