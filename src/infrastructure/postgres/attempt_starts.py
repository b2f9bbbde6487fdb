"""The start's statements, hand-written on asyncpg: the first attempt's guarded insert, or
the facts and then the insert.

Why hand-written: at an exam's start every candidate arrives within seconds, and through
the ORM a start cost ten saves (seven round trips: BEGIN, three reads, the insert, the
audit and outbox statement, COMMIT; and the ORM's work around each). Here the three reads
are one SELECT, and the new attempt goes in with its audit event and platform event in
one statement (outbox.py's, behind a CTE of our own), both in autocommit. The domain
still decides everything (window, attempts allowed, accommodation, the timer) from the
facts; the unique indexes on attempts still refuse a second attempt in progress or a
number taken twice, whichever start loses a race.

Most starts are a candidate's first at the exam, without an accommodation: the domain
decides those on exactly these facts, and the insert of attempt number 1 proves them. The
unique (exam, candidate, number) index refuses it if any attempt exists; a guard CTE
refuses it if an accommodation does. So a first start is one round trip, and any other
falls back to the facts.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import asyncpg

from application.ports import AttemptStarts, StartFacts
from domain.accommodation import Accommodation
from domain.attempt import Attempt
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.asyncpg_rows import PositionalStatement, column_parameters
from infrastructure.postgres.attempt_mapping import new_attempt_row
from infrastructure.postgres.errors import is_active_attempt_conflict, translate_errors
from infrastructure.postgres.outbox import (
    audit_and_outbox_parameters,
    audit_and_outbox_statement,
)
from infrastructure.postgres.refusal_guard import refusal_guard, refused_by_guard

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
# The first start assumed no accommodation: if the candidate has one, nothing is written.
_NO_ACCOMMODATION_GUARD = refusal_guard(
    "accommodation_guard",
    kind="accommodated_first_start",
    when=f"""EXISTS (
        SELECT FROM accommodations
        WHERE exam_id = :{_PREFIX}exam_id AND candidate_id = :{_PREFIX}candidate_id
    )""",
)


class AsyncpgAttemptStarts:
    """Runs on the answer write's connections (app-scoped), one statement per loan."""

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections
        # By the columns the domain's new attempt maps to (attempt_mapping.new_attempt_row),
        # and whether the statement carries the first start's guard.
        self._inserts: dict[tuple[tuple[str, ...], bool], PositionalStatement] = {}

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
    async def begin_first(self, attempt: Attempt) -> bool:
        try:
            await self._insert(attempt, number=1, first=True)
        except asyncpg.UniqueViolationError as error:
            if is_active_attempt_conflict(error):  # an attempt exists: decide on the facts
                return False
            raise
        except asyncpg.NotNullViolationError as error:
            if refused_by_guard(error):  # the candidate has an accommodation
                return False
            raise
        return True

    @translate_errors
    async def begin(self, attempt: Attempt, *, number: int) -> None:
        await self._insert(attempt, number=number, first=False)

    async def _insert(self, attempt: Attempt, *, number: int, first: bool) -> None:
        values = new_attempt_row(attempt, number=number, at=attempt.pending_events[-1].at)
        statement = self._statement(tuple(values), first=first)
        events = audit_and_outbox_parameters([attempt])
        if events is None:  # a start is always told to the platform (domain.platform_events)
            raise RuntimeError("a new attempt without its platform event")
        parameters = column_parameters(values, prefix=_PREFIX) | events
        async with self._connections.lend() as connection:
            await connection.execute(statement.sql, *statement.arguments(parameters))
        attempt.pending_events.clear()

    def _statement(self, columns: tuple[str, ...], *, first: bool) -> PositionalStatement:
        statement = self._inserts.get((columns, first))
        if statement is None:
            names = ", ".join(columns)
            values = ", ".join(f":{_PREFIX}{column}" for column in columns)
            leading = f"new_attempt AS (INSERT INTO attempts ({names}) VALUES ({values}))"
            if first:
                leading += "," + _NO_ACCOMMODATION_GUARD
            statement = PositionalStatement(audit_and_outbox_statement(leading))
            self._inserts[(columns, first)] = statement
        return statement


_: type[AttemptStarts] = AsyncpgAttemptStarts
