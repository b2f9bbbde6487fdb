"""Overdue attempts in PostgreSQL: found by the partial deadline index, locked in batches."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Select, and_, func, or_, update

from application.ports import OverdueAttempts
from domain.attempt import Attempt
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import changed_columns
from infrastructure.postgres.attempt_reads import (
    append_pending_events_of_all,
    read_attempts,
    select_attempts,
    written_at,
)
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.session_repository import SessionRepository


class SqlOverdueAttempts(SessionRepository):
    """The sweeper's queries and batch write; all join the session's transaction."""

    @translate_errors
    async def lock_overdue(
        self,
        now: datetime,
        network_grace: timedelta,
        limit: int,
        *,
        among: Sequence[UUID] | None = None,
    ) -> list[Attempt]:
        statement = _overdue(now, network_grace).limit(limit).with_for_update(skip_locked=True)
        if among is not None:
            statement = statement.where(AttemptRow.id.in_(among))
        rows = await self._session.scalars(statement)
        return await read_attempts(self._session, list(rows))

    @translate_errors
    async def overdue_ids(
        self, now: datetime, network_grace: timedelta, *, limit: int
    ) -> list[UUID]:
        rows = await self._session.scalars(_overdue(now, network_grace).limit(limit))
        return [row.id for row in rows]

    @translate_errors
    async def update_all(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:
            return
        # ORM bulk UPDATE by primary key: one executemany, which asyncpg pipelines, instead
        # of a statement and a round trip per attempt (the sweeper expires hundreds at once).
        rows = [
            {"id": attempt.id, **changed_columns(attempt, at=written_at(attempt))}
            for attempt in attempts
        ]
        await self._session.execute(update(AttemptRow), rows)
        # Expiries are platform events: one statement writes the audit events and the outbox.
        await append_pending_events_of_all(self._session, attempts)


def _overdue(now: datetime, network_grace: timedelta) -> Select[AttemptRow]:
    """Attempts in progress past Timer.overdue_at, or whose running section's clock ran
    out (Attempt.due_at), earliest first."""
    network = network_grace.total_seconds()
    ending = func.make_interval(0, 0, 0, 0, 0, 0, func.greatest(AttemptRow.grace_seconds, network))
    running = and_(AttemptRow.paused_at.is_(None), AttemptRow.deadline + ending <= now)
    # A pause stops the clock, not the exam window.
    paused_past_close = and_(
        AttemptRow.paused_at.is_not(None),
        AttemptRow.closes_at.is_not(None),
        AttemptRow.closes_at + ending <= now,
    )
    attempt_due = and_(
        # Implied by both branches (grace >= network grace, closes_at >= deadline), and it
        # lets the partial index on (deadline) WHERE in progress do the searching.
        AttemptRow.deadline <= now - network_grace,
        or_(running, paused_past_close),
    )
    # A section's clock stands still while paused; its partial index does the searching.
    section_due = and_(
        AttemptRow.section_deadline.is_not(None),
        AttemptRow.section_deadline <= now - network_grace,
        AttemptRow.paused_at.is_(None),
    )
    return (
        select_attempts()
        .where(AttemptRow.status == AttemptStatus.IN_PROGRESS.value, or_(attempt_due, section_due))
        .order_by(func.least(AttemptRow.deadline, AttemptRow.section_deadline))
    )


_: type[OverdueAttempts] = SqlOverdueAttempts
