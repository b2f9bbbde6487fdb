"""The submit's transaction, hand-written on asyncpg: lock and read, write back, commit.

Why hand-written: at the deadline every candidate submits at once, and through the ORM a
submit cost ten saves (BEGIN, the locking read, the regrades read, the update, the audit
and outbox statement, COMMIT; and the ORM's work around each). Here the locking read
brings the exam's regrades along, and the update goes with its audit event and platform
event in one statement (outbox.py's, behind a CTE of our own): BEGIN, two statements,
COMMIT. The row lock makes the decision safe as before: no save, sweep or other submit
changes the attempt between the read and the write, and the domain decides the result.
"""

from __future__ import annotations

from uuid import UUID

import asyncpg
import msgspec

from application.ports import FinalDecision, FinalWrites
from domain.attempt import Attempt
from domain.events import EventKind
from domain.regrade import Regrade
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.asyncpg_rows import (
    PositionalStatement,
    attempt_from_record,
    column_parameters,
)
from infrastructure.postgres.attempt_mapping import changed_columns
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.outbox import (
    audit_and_outbox_parameters,
    audit_and_outbox_statement,
)

LOCKED = """
SELECT attempt.*,
    CASE WHEN attempt.response_count > 0 THEN ARRAY(
        SELECT event.data::text FROM attempt_events AS event
        WHERE event.attempt_id = attempt.id AND event.kind = $2
        ORDER BY event.version
    ) END AS response_data,
    ARRAY(
        SELECT json_build_array(
            regrade.question_id, regrade.correct_keys, regrade.full_credit
        )::text
        FROM exam_regrades AS regrade WHERE regrade.exam_id = attempt.exam_id
        ORDER BY regrade.id
    ) AS regrades
FROM attempts AS attempt
WHERE attempt.id = $1
FOR UPDATE OF attempt
"""

_PREFIX = "attempt_"


class AsyncpgFinalWrites:
    """Runs on the answer write's connections (app-scoped), one transaction per loan."""

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections
        self._updates: dict[tuple[str, ...], PositionalStatement] = {}

    @translate_errors
    async def finalise(self, attempt_id: UUID, decide: FinalDecision) -> Attempt | None:
        refused: Exception | None = None
        async with self._connections.lend() as connection:
            try:
                async with connection.transaction():
                    row = await connection.fetchrow(
                        LOCKED, attempt_id, EventKind.RESPONSE_RECORDED.value
                    )
                    if row is None:
                        return None
                    attempt = attempt_from_record(row, row["response_data"])
                    regrades = [_regrade(data) for data in row["regrades"]]
                    try:
                        write = await decide(attempt, regrades)
                    except Exception as error:  # the domain refused: roll back, keep the loan
                        refused, write = error, False
                    if not write:
                        raise _RollBack  # the row lock goes at once, and no COMMIT is flushed
                    await self._write(connection, attempt)
            except _RollBack:
                pass
        if refused is not None:
            raise refused
        return attempt

    async def _write(self, connection: asyncpg.Connection, attempt: Attempt) -> None:
        values = changed_columns(attempt, at=attempt.pending_events[-1].at)
        statement = self._update(tuple(values))
        events = audit_and_outbox_parameters([attempt])
        if events is None:  # finalising is always told to the platform
            raise RuntimeError("a final attempt without its platform event")
        parameters = column_parameters({"id": attempt.id, **values}, prefix=_PREFIX) | events
        await connection.execute(statement.sql, *statement.arguments(parameters))
        attempt.pending_events.clear()

    def _update(self, columns: tuple[str, ...]) -> PositionalStatement:
        statement = self._updates.get(columns)
        if statement is None:
            assignments = ", ".join(f"{column} = :{_PREFIX}{column}" for column in columns)
            written = f"written AS (UPDATE attempts SET {assignments} WHERE id = :{_PREFIX}id)"
            statement = PositionalStatement(audit_and_outbox_statement(written))
            self._updates[columns] = statement
        return statement


class _RollBack(Exception):
    """Leaves the transaction block by rolling it back."""


def _regrade(data: str) -> Regrade:
    question_id, keys, full_credit = msgspec.json.decode(data)
    return Regrade(
        question_id=question_id,
        correct_keys=None if keys is None else frozenset(keys),
        full_credit=full_credit,
    )


_: type[FinalWrites] = AsyncpgFinalWrites
