"""The start's two statements, hand-written on asyncpg: the facts, then the insert.

Why hand-written: at an exam's start every candidate arrives within seconds, and through
the ORM a start cost ten saves (seven round trips: BEGIN, three reads, the insert, the
audit and outbox statement, COMMIT; and the ORM's work around each). Here the three reads
are one SELECT, and the new attempt goes in with its audit event and platform event in
one statement (outbox.py's, behind a CTE of our own), both in autocommit. The domain
still decides everything (window, attempts allowed, accommodation, the timer) from the
facts; the unique indexes on attempts still refuse a second attempt in progress or a
number taken twice, whichever start loses a race.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from application.ports import AttemptStarts, StartFacts
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.asyncpg_rows import PositionalStatement, column_parameters
from infrastructure.postgres.attempt_mapping import new_attempt_row
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.outbox import (
    audit_and_outbox_parameters,
    audit_and_outbox_statement,
)

FACTS = """
SELECT
    (SELECT count(*) FROM attempts WHERE exam_id = $1 AND candidate_id = $2) AS started,
    EXISTS (
        SELECT FROM attempts
        WHERE exam_id = $1 AND candidate_id = $2 AND status = 'in_progress'
    ) AS in_progress,
    accommodation.time_multiplier, accommodation.extra_seconds, accommodation.reason,
    accommodation.opens_at, accommodation.closes_at, accommodation.extra_attempts
FROM (VALUES (1)) AS one
LEFT JOIN accommodations AS accommodation
    ON accommodation.exam_id = $1 AND accommodation.candidate_id = $2
"""

_PREFIX = "attempt_"


class AsyncpgAttemptStarts:
    """Runs on the answer write's connections (app-scoped), one statement per loan."""

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections
        # By the columns the domain's new attempt maps to (attempt_mapping.new_attempt_row).
        self._inserts: dict[tuple[str, ...], PositionalStatement] = {}

    @translate_errors
    async def facts(self, exam_id: UUID, candidate_id: str) -> StartFacts:
        async with self._connections.lend() as connection:
            row = await connection.fetchrow(FACTS, exam_id, candidate_id)
        assert row is not None  # one row whatever the tables hold
        accommodation = None
        if row["reason"] is not None:
            accommodation = Accommodation(
                time_multiplier=row["time_multiplier"],
                extra_time=timedelta(seconds=row["extra_seconds"]),
                reason=row["reason"],
                opens_at=row["opens_at"],
                closes_at=row["closes_at"],
                extra_attempts=row["extra_attempts"],
            )
        return StartFacts(
            started_before=row["started"],
            in_progress=row["in_progress"],
            accommodation=accommodation,
        )

    @translate_errors
    async def begin(self, attempt: Attempt, *, number: int) -> None:
        values = new_attempt_row(attempt, number=number, at=attempt.pending_events[-1].at)
        statement = self._insert(tuple(values))
        events = audit_and_outbox_parameters([attempt])
        if events is None:  # a start is always told to the platform (domain.platform_events)
            raise RuntimeError("a new attempt without its platform event")
        parameters = column_parameters(values, prefix=_PREFIX) | events
        async with self._connections.lend() as connection:
            await connection.execute(statement.sql, *statement.arguments(parameters))
        attempt.pending_events.clear()

    def _insert(self, columns: tuple[str, ...]) -> PositionalStatement:
        statement = self._inserts.get(columns)
        if statement is None:
            names = ", ".join(columns)
            values = ", ".join(f":{_PREFIX}{column}" for column in columns)
            new_attempt = f"new_attempt AS (INSERT INTO attempts ({names}) VALUES ({values}))"
            statement = PositionalStatement(audit_and_outbox_statement(new_attempt))
            self._inserts[columns] = statement
        return statement


_: type[AttemptStarts] = AsyncpgAttemptStarts
