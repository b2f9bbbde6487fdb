"""The conditional answer and response writes, straight on asyncpg: one round trip each.

Autosave is the most frequent request. One statement changes the answer sheet, bumps the
version and appends the audit event, and PostgreSQL evaluates every condition (status,
pause, deadline, version) against the row as it is when the UPDATE locks it, so the
database is the final arbiter: of concurrent writers carrying the same expected version,
exactly one matches. The statement runs on its own, in autocommit, through asyncpg's
prepared-statement cache: no BEGIN or COMMIT round trips and no ORM work, and it is
durable (synchronous commit) when it returns. The late mark is PostgreSQL's alone (the
domain's change carries none): it compares against the deadline it holds, not the
caller's possibly stale copy.

An adaptive response is written the same way: its event (item, option, right or wrong)
is the response, it is set as the item's answer (so scoring needs nothing else), and
beyond the answer's conditions the attempt must hold exactly the responses the engine
chose the item from (`response_count`), so of two concurrent responses to the same item
exactly one is recorded. The row grows by one answer, never by the list of responses.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from application.ports import AnswerWrites, AppliedAnswer, StaleVersion
from domain.attempt import AnswerChange
from domain.responses import ResponseChange
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.errors import translate_errors

# `status IS NOT DISTINCT FROM 'in_progress'` where `=` would do (status is NOT NULL): an
# `=` lets the planner use the partial index of attempts in progress, whose statistics
# say "empty" after a quiet night's autovacuum; it then scanned every attempt in progress
# for each save (4 ms at 1,500 in progress, growing with the morning) instead of one
# primary-key lookup. This form proves nothing about that index's predicate, so the
# primary key is the only index left (docs/benchmarks.md, "Flat cost as data grows").
_TEMPLATE = """
WITH updated AS (
    UPDATE attempts
    SET answers = {answers}, version = version + 1, updated_at = $2
    WHERE id = $1
      AND status IS NOT DISTINCT FROM 'in_progress'
      AND paused_at IS NULL
      AND deadline > $3
      AND ($4::integer IS NULL OR version = $4::integer)
      {sections}
    RETURNING id, version, deadline, LEAST(deadline, section_deadline) AS ends
), logged AS (
    INSERT INTO attempt_events (attempt_id, version, kind, at, data)
    SELECT id, version, $5, $2,
           CASE WHEN ends <= $2 THEN $6::jsonb || '{{"late": true}}'::jsonb ELSE $6::jsonb END
    FROM updated
)
SELECT true AS applied, version, deadline, ends <= $2 AS late FROM updated
UNION ALL
-- Refused: is the version the only reason? Every sub-statement reads the same snapshot,
-- so this sees the row the UPDATE did not change (see `apply_answer` on a concurrent change).
SELECT false, version, deadline, false FROM attempts
WHERE id = $1 AND NOT EXISTS (SELECT FROM updated) AND $4::integer IS NOT NULL
  AND status IS NOT DISTINCT FROM 'in_progress' AND paused_at IS NULL AND deadline > $3
  {sections}
"""
# Sections (0010): the running section's questions alone take answers, and only until its
# own deadline (+ the network grace, as `deadline > $3`). NULL columns: no sections.
_SECTIONS = """AND (open_questions IS NULL OR $7::text = ANY(open_questions))
      AND (section_deadline IS NULL OR section_deadline > $3)"""
# The response goes in as JSON and stays typed: a string, a list, a number, any value.
SAVE_ANSWER = _TEMPLATE.format(
    answers="answers || jsonb_build_object($7::text, $8::jsonb)", sections=_SECTIONS
)
CLEAR_ANSWER = _TEMPLATE.format(answers="answers - $7::text", sections=_SECTIONS)
# The status test as in _TEMPLATE, for the same reason.
RECORD_RESPONSE = """
WITH updated AS (
    UPDATE attempts
    SET response_count = response_count + 1,
        answers = answers || jsonb_build_object($2::text, $3::text),
        version = version + 1,
        updated_at = $4
    WHERE id = $1
      AND status IS NOT DISTINCT FROM 'in_progress'
      AND paused_at IS NULL
      AND deadline > $5
      AND ($6::integer IS NULL OR version = $6::integer)
      AND response_count = $7
    RETURNING id, version, deadline
)
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
SELECT id, version, $8, $4,
       CASE WHEN deadline <= $4 THEN $9::jsonb || '{"late": true}'::jsonb ELSE $9::jsonb END
FROM updated
RETURNING version
"""


class AsyncpgAnswerWrites:
    """Runs the answer write on its own plain asyncpg connections (app-scoped).

    They are opened on first use, inside the error translation: a database that is down
    when the process starts means 503s until it is back, not a process that cannot start.
    """

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections

    @translate_errors
    async def apply_answer(
        self, change: AnswerChange, *, answers_close_after: datetime
    ) -> AppliedAnswer | StaleVersion | None:
        arguments: list[Any] = [
            change.attempt_id,
            change.event.at,
            answers_close_after,
            change.expected_version,
            change.event.kind.value,
            msgspec.json.encode(change.event.data).decode(),
            change.question_id,
        ]
        if change.response is not None:
            arguments.append(msgspec.json.encode(change.response).decode())
        statement = CLEAR_ANSWER if change.response is None else SAVE_ANSWER
        async with self._connections.lend() as connection:
            row = await connection.fetchrow(statement, *arguments)
        if row is None:
            return None
        if row["applied"]:
            return AppliedAnswer(row["version"], row["deadline"], row["late"])
        if change.expected_version is None or row["version"] == change.expected_version:
            # The snapshot still shows the expected version, so a concurrent change moved it
            # after the snapshot was taken: the caller must read the attempt anew.
            return None
        return StaleVersion(row["version"])

    @translate_errors
    async def apply_response(
        self, change: ResponseChange, *, answers_close_after: datetime, responses_before: int
    ) -> int | None:
        response = change.response
        async with self._connections.lend() as connection:
            version: int | None = await connection.fetchval(
                RECORD_RESPONSE,
                change.attempt_id,
                response.item_id,
                response.option,
                change.event.at,
                answers_close_after,
                change.expected_version,
                responses_before,
                change.event.kind.value,
                msgspec.json.encode(change.event.data).decode(),
            )
        return version


_: type[AnswerWrites] = AsyncpgAnswerWrites
