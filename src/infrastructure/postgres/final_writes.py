"""The submit's write, hand-written on asyncpg: read, then one conditional statement.

Why hand-written: at the deadline every candidate submits at once, and through the ORM a
submit cost ten saves (BEGIN, the locking read, the regrades read, the update, the audit
and outbox statement, COMMIT; and the ORM's work around each). On this machine every
round trip costs the API process as much CPU as the work it carries (the loopback's
kernel work is charged to the sender), so the submit is two statements in autocommit:

1. the attempt's row, its responses (adaptive) and its exam's regrades, in one SELECT;
2. after the domain decided, the write-back as one statement: the UPDATE, only if the
   row's version is still the one read (compare-and-set: PostgreSQL is the arbiter, as
   in the answer write), with the audit event, the platform event and its deliveries
   (outbox.py's statement, behind our CTEs).

A concurrent save, sweep or submit moves the version first: the UPDATE then matches no
row, a guard CTE makes the whole statement fail before anything is written, and the
attempt is read and decided again with what the other writer left, so every saved
answer is scored and a final attempt is returned as it is.
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
    ATTEMPT_WITH_RESPONSES,
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
from infrastructure.postgres.refusal_guard import refusal_guard, refused_by_guard

CURRENT = f"""
SELECT {ATTEMPT_WITH_RESPONSES},
    ARRAY(
        SELECT json_build_array(
            regrade.question_id, regrade.correct_keys, regrade.full_credit
        )::text
        FROM exam_regrades AS regrade WHERE regrade.exam_id = attempt.exam_id
        ORDER BY regrade.id
    ) AS regrades
FROM attempts AS attempt
WHERE attempt.id = $1
"""

# When the UPDATE matched no row (another writer moved the version first), the guard makes
# the statement (audit and outbox rows included) write nothing.
_WRITE_BACK = """
written AS (
    UPDATE attempts SET {assignments}
    WHERE id = :attempt_id AND version = :read_version
    RETURNING id
),"""
_STALE_GUARD = refusal_guard(
    "stale_guard", kind="stale_write_back", when="NOT EXISTS (SELECT FROM written)"
)

_PREFIX = "attempt_"
# A submit that keeps losing to other writers (a candidate saving in another tab as fast
# as the server answers) gives up as a conflict rather than loop.
MAX_TRIES = 5


class StaleWriteBack(Exception):
    """The attempt changed between the read and the write-back: read and decide again."""


class AsyncpgFinalWrites:
    """Runs on the answer write's connections (app-scoped), one statement per loan."""

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections
        self._updates: dict[tuple[str, ...], PositionalStatement] = {}

    @translate_errors
    async def finalise(self, attempt_id: UUID, decide: FinalDecision) -> Attempt | None:
        for _ in range(MAX_TRIES):
            async with self._connections.lend() as connection:
                row = await connection.fetchrow(
                    CURRENT, attempt_id, EventKind.RESPONSE_RECORDED.value
                )
            if row is None:
                return None
            attempt = attempt_from_record(row, row["response_data"])
            read_version = attempt.version
            if not await decide(attempt, [_regrade(data) for data in row["regrades"]]):
                return attempt
            try:
                await self._write_back(attempt, read_version)
            except StaleWriteBack:
                continue
            return attempt
        raise RuntimeError(f"attempt {attempt_id} kept changing while it was finalised")

    async def _write_back(self, attempt: Attempt, read_version: int) -> None:
        values = changed_columns(attempt, at=attempt.pending_events[-1].at)
        statement = self._update(tuple(values))
        events = audit_and_outbox_parameters([attempt])
        if events is None:  # finalising is always told to the platform
            raise RuntimeError("a final attempt without its platform event")
        parameters = {
            **column_parameters({"id": attempt.id, **values}, prefix=_PREFIX),
            "read_version": read_version,
            **events,
        }
        try:
            async with self._connections.lend() as connection:
                await connection.execute(statement.sql, *statement.arguments(parameters))
        except asyncpg.NotNullViolationError as error:
            if refused_by_guard(error):
                raise StaleWriteBack from error
            raise
        attempt.pending_events.clear()

    def _update(self, columns: tuple[str, ...]) -> PositionalStatement:
        statement = self._updates.get(columns)
        if statement is None:
            assignments = ", ".join(f"{column} = :{_PREFIX}{column}" for column in columns)
            leading = _WRITE_BACK.format(assignments=assignments) + _STALE_GUARD
            statement = PositionalStatement(audit_and_outbox_statement(leading))
            self._updates[columns] = statement
        return statement


def _regrade(data: str) -> Regrade:
    question_id, keys, full_credit = msgspec.json.decode(data)
    return Regrade(
        question_id=question_id,
        correct_keys=None if keys is None else frozenset(keys),
        full_credit=full_credit,
    )


_: type[FinalWrites] = AsyncpgFinalWrites
