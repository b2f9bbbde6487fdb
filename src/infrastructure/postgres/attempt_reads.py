"""What the attempt adapters share: reading rows as attempts, and appending events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, Select, any_, column, func, select, table
from sqlalchemy.ext.asyncio import AsyncSession

from domain.attempt import Attempt
from domain.events import EventKind
from domain.responses import Response
from infrastructure.postgres.attempt_mapping import to_attempt, to_response
from infrastructure.postgres.models import AttemptEventRow, AttemptRow
from infrastructure.postgres.outbox import append_audit_events


def select_attempts() -> Select[AttemptRow]:
    # The hand-written answer write bypasses the identity map: always take the row as read.
    return select(AttemptRow).execution_options(populate_existing=True)


# Every event of every attempt, live or archived: the view of migration 0014 (attempt_events
# UNION ALL attempt_events_archive), the one place that says an attempt's events are in
# both. Ids come from one sequence, so `id` still orders them; readers filter by attempt
# id, which both tables index. A clause, not a Table in the models' metadata, so nothing
# that creates or compares tables from the metadata takes the view for a table. Typed as
# the live table's columns (`at` in UTC, `data` as JSONB).
EVERY_ATTEMPT_EVENT = table(
    "every_attempt_event",
    *(
        column(name, AttemptEventRow.__table__.c[name].type)
        for name in ("id", "attempt_id", "version", "kind", "at", "data")
    ),
)


def events_of(attempts: Select[UUID]) -> ColumnElement[bool]:
    """EVERY_ATTEMPT_EVENT's rows of the attempts that `attempts` selects (their ids).

    `attempt_id = ANY(ARRAY(…))` rather than a join to attempts: the planner costs each
    branch of the view as if that table held all of an attempt's events, so a join from an
    exam's attempts looks twice as dear per attempt as it is and turns to seq scans (of
    the events, or of every attempt under a parallel loop) once the exam is a fair share
    of the history (measured in docs/operations.md, "Growth of the audit trail"). The
    array is planned as a few ids, so both branches take their `(attempt_id, id)` index
    whatever the exam's size."""
    return EVERY_ATTEMPT_EVENT.c.attempt_id == any_(func.array(attempts.scalar_subquery()))


async def read_attempts(session: AsyncSession, rows: Sequence[AttemptRow]) -> list[Attempt]:
    """The rows as attempts, with the responses of the adaptive ones (one query)."""
    answered = [row.id for row in rows if row.response_count]
    responses: dict[UUID, list[Response]] = {}
    if answered:
        events = EVERY_ATTEMPT_EVENT
        found = await session.execute(
            select(events.c.attempt_id, events.c.data)
            .where(
                events.c.attempt_id.in_(answered),
                events.c.kind == EventKind.RESPONSE_RECORDED.value,
            )
            .order_by(events.c.attempt_id, events.c.version)
        )
        for attempt_id, data in found:
            responses.setdefault(attempt_id, []).append(to_response(data))
    return [to_attempt(row, responses.get(row.id, ())) for row in rows]


async def append_pending_events(session: AsyncSession, attempt: Attempt) -> None:
    await append_pending_events_of_all(session, [attempt])


async def append_pending_events_of_all(session: AsyncSession, attempts: Sequence[Attempt]) -> None:
    """Every pending audit event of the attempts in one INSERT (unnest), with the outbox
    rows of those that are platform events in the same statement (outbox.py); then
    clears them. The one way attempt adapters record what happened."""
    await append_audit_events(session, attempts)


def written_at(attempt: Attempt) -> datetime | ColumnElement[datetime]:
    """The time of the latest change, from its event; else the database's now()."""
    return attempt.pending_events[-1].at if attempt.pending_events else func.now()
