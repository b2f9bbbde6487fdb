"""Attempts and their audit trail in PostgreSQL, the source of truth."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import AppliedAnswer, AttemptRepository, StaleVersion
from domain.attempt import AnswerChange, Attempt
from domain.events import AttemptEvent, EventKind
from domain.responses import Response, ResponseChange
from domain.result import AttemptStatus
from infrastructure.postgres.answer_writes import AsyncpgAnswerWrites, RefusedVersion, WrittenAnswer
from infrastructure.postgres.attempt_mapping import (
    changed_columns,
    event_rows,
    new_attempt_row,
    to_attempt,
    to_event,
    to_response,
)
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptEventRow, AttemptRow
from infrastructure.postgres.sessions import SessionSource


class SqlAttemptRepository:
    """Reads map rows to `Attempt`; writes join the session's transaction."""

    def __init__(self, sessions: SessionSource, answer_writes: AsyncpgAnswerWrites) -> None:
        self._sessions = sessions
        self._answer_writes = answer_writes

    @property
    def _session(self) -> AsyncSession:
        return self._sessions.current

    @translate_errors
    async def add(self, attempt: Attempt, *, number: int) -> None:
        # Executed now, not at commit, so a concurrent start fails here as ActiveAttemptExists.
        row = new_attempt_row(attempt, number=number, at=_written_at(attempt))
        await self._session.execute(insert(AttemptRow).values(row))
        await self._append(attempt)

    @translate_errors
    async def get(self, attempt_id: UUID) -> Attempt | None:
        return await self._one(_by_id(attempt_id))

    @translate_errors
    async def get_for_update(self, attempt_id: UUID) -> Attempt | None:
        return await self._one(_by_id(attempt_id).with_for_update())

    @translate_errors
    async def find_in_progress(self, exam_id: UUID, candidate_id: str) -> Attempt | None:
        return await self._one(
            _select().where(
                AttemptRow.exam_id == exam_id,
                AttemptRow.candidate_id == candidate_id,
                AttemptRow.status == AttemptStatus.IN_PROGRESS.value,
            )
        )

    @translate_errors
    async def count_for_candidate(self, exam_id: UUID, candidate_id: str) -> int:
        count = await self._session.scalar(
            select(func.count()).where(
                AttemptRow.exam_id == exam_id, AttemptRow.candidate_id == candidate_id
            )
        )
        return count or 0

    async def apply_answer(
        self, change: AnswerChange, *, answers_close_after: datetime
    ) -> AppliedAnswer | StaleVersion | None:
        # The hot path bypasses the session: one autocommitted statement (answer_writes.py).
        written = await self._answer_writes.apply(change, answers_close_after)
        if isinstance(written, WrittenAnswer):
            return AppliedAnswer(
                version=written.version, deadline=written.deadline, late=written.late
            )
        if isinstance(written, RefusedVersion):
            return StaleVersion(current_version=written.version)
        return None

    @translate_errors
    async def update(self, attempt: Attempt) -> None:
        await self._session.execute(
            update(AttemptRow)
            .where(AttemptRow.id == attempt.id)
            .values(changed_columns(attempt, at=_written_at(attempt)))
            # Reads use populate_existing, so the identity map needs no synchronising.
            .execution_options(synchronize_session=False)
        )
        await self._append(attempt)

    @translate_errors
    async def update_all(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:
            return
        # ORM bulk UPDATE by primary key: one executemany, which asyncpg pipelines, instead
        # of a statement and a round trip per attempt (the sweeper expires hundreds at once).
        rows = [
            {"id": attempt.id, **changed_columns(attempt, at=_written_at(attempt))}
            for attempt in attempts
        ]
        await self._session.execute(update(AttemptRow), rows)
        events = [
            row for attempt in attempts for row in event_rows(attempt.id, attempt.pending_events)
        ]
        if events:
            await self._session.execute(insert(AttemptEventRow), events)
        for attempt in attempts:
            attempt.pending_events.clear()

    @translate_errors
    async def append_events(self, attempt: Attempt) -> None:
        await self._append(attempt)

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
        return await self._attempts(list(rows))

    @translate_errors
    async def overdue_ids(
        self, now: datetime, network_grace: timedelta, *, limit: int
    ) -> list[UUID]:
        rows = await self._session.scalars(_overdue(now, network_grace).limit(limit))
        return [row.id for row in rows]

    @translate_errors
    async def count_in_progress(self) -> int:
        count = await self._session.scalar(
            select(func.count()).where(AttemptRow.status == AttemptStatus.IN_PROGRESS.value)
        )
        return count or 0

    @translate_errors
    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        rows = await self._session.scalars(
            select(AttemptEventRow)
            .where(AttemptEventRow.attempt_id == attempt_id)
            .order_by(AttemptEventRow.id)
        )
        return [to_event(row) for row in rows]

    async def _one(self, statement: Select[AttemptRow]) -> Attempt | None:
        row = await self._session.scalar(statement)
        return None if row is None else (await self._attempts([row]))[0]

    async def _attempts(self, rows: Sequence[AttemptRow]) -> list[Attempt]:
        """The rows as attempts, with the responses of the adaptive ones (one query)."""
        answered = [row.id for row in rows if row.response_count]
        responses: dict[UUID, list[Response]] = {}
        if answered:
            found = await self._session.execute(
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

    async def _append(self, attempt: Attempt) -> None:
        if attempt.pending_events:
            rows = event_rows(attempt.id, attempt.pending_events)
            await self._session.execute(insert(AttemptEventRow), rows)
            attempt.pending_events.clear()

    # --- adaptive attempts ---------------------------------------------------------------

    async def apply_response(
        self, change: ResponseChange, *, answers_close_after: datetime, responses_before: int
    ) -> int | None:
        # Like the answer, one autocommitted statement outside the session (answer_writes.py).
        return await self._answer_writes.apply_response(
            change, answers_close_after, responses_before
        )


def _select() -> Select[AttemptRow]:
    # The hand-written answer write bypasses the identity map: always take the row as read.
    return select(AttemptRow).execution_options(populate_existing=True)


def _by_id(attempt_id: UUID) -> Select[AttemptRow]:
    return _select().where(AttemptRow.id == attempt_id)


def _overdue(now: datetime, network_grace: timedelta) -> Select[AttemptRow]:
    """Attempts in progress past Timer.overdue_at, earliest deadline first."""
    network = network_grace.total_seconds()
    ending = func.make_interval(0, 0, 0, 0, 0, 0, func.greatest(AttemptRow.grace_seconds, network))
    running = and_(AttemptRow.paused_at.is_(None), AttemptRow.deadline + ending <= now)
    # A pause stops the clock, not the exam window.
    paused_past_close = and_(
        AttemptRow.paused_at.is_not(None),
        AttemptRow.closes_at.is_not(None),
        AttemptRow.closes_at + ending <= now,
    )
    return (
        _select()
        .where(
            AttemptRow.status == AttemptStatus.IN_PROGRESS.value,
            # Implied by both branches (grace >= network grace, closes_at >= deadline), and it
            # lets the partial index on (deadline) WHERE in progress do the searching.
            AttemptRow.deadline <= now - network_grace,
            or_(running, paused_past_close),
        )
        .order_by(AttemptRow.deadline)
    )


def _written_at(attempt: Attempt) -> datetime | ColumnElement[datetime]:
    """The time of the latest change, from its event; else the database's now()."""
    return attempt.pending_events[-1].at if attempt.pending_events else func.now()


_: type[AttemptRepository] = SqlAttemptRepository
