"""What the attempt adapters share: reading rows as attempts, and appending events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, Select, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.attempt import Attempt
from domain.events import EventKind
from domain.responses import Response
from infrastructure.postgres.attempt_mapping import event_rows, to_attempt, to_response
from infrastructure.postgres.models import AttemptEventRow, AttemptRow
from infrastructure.postgres.outbox import append_audit_and_platform_events


def select_attempts() -> Select[AttemptRow]:
    # The hand-written answer write bypasses the identity map: always take the row as read.
    return select(AttemptRow).execution_options(populate_existing=True)


async def read_attempts(session: AsyncSession, rows: Sequence[AttemptRow]) -> list[Attempt]:
    """The rows as attempts, with the responses of the adaptive ones (one query)."""
    answered = [row.id for row in rows if row.response_count]
    responses: dict[UUID, list[Response]] = {}
    if answered:
        found = await session.execute(
            select(AttemptEventRow.attempt_id, AttemptEventRow.data)
            .where(
                AttemptEventRow.attempt_id.in_(answered),
                AttemptEventRow.kind == EventKind.RESPONSE_RECORDED.value,
            )
            .order_by(AttemptEventRow.attempt_id, AttemptEventRow.version)
        )
        for attempt_id, data in found:
            responses.setdefault(attempt_id, []).append(to_response(data))
    return [to_attempt(row, responses.get(row.id, ())) for row in rows]


async def append_pending_events(session: AsyncSession, attempt: Attempt) -> None:
    if attempt.pending_events:
        # With platform events, the audit events go in the outbox's statement (outbox.py).
        if not await append_audit_and_platform_events(session, [attempt]):
            rows = event_rows(attempt.id, attempt.pending_events)
            await session.execute(insert(AttemptEventRow), rows)
        attempt.pending_events.clear()


def written_at(attempt: Attempt) -> datetime | ColumnElement[datetime]:
    """The time of the latest change, from its event; else the database's now()."""
    return attempt.pending_events[-1].at if attempt.pending_events else func.now()
