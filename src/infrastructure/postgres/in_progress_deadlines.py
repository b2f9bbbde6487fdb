"""When each attempt in progress is overdue, in one query: a deadline index's refill."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from application.ports import InProgressDeadlines
from domain.result import AttemptStatus
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.sessions import SessionSource


class SqlInProgressDeadlines:
    """Attempt.due_at in SQL (as the sweeper's reconciliation has it), over the
    partial index of attempts in progress; only two columns come back per attempt."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @property
    def _session(self) -> AsyncSession:
        return self._sessions.current

    @translate_errors
    async def overdue_times(self, network_grace: timedelta) -> list[tuple[UUID, datetime]]:
        network = network_grace.total_seconds()
        ending = func.make_interval(
            0, 0, 0, 0, 0, 0, func.greatest(AttemptRow.grace_seconds, network)
        )
        # A pause stops the attempt's clock, not the exam window: the window's close ends it.
        # A running section ends first where its deadline (stored only when it falls
        # before the attempt's) comes sooner; a paused one is frozen (Attempt.due_at).
        grace = func.make_interval(0, 0, 0, 0, 0, 0, network)
        overdue_at = case(
            (
                AttemptRow.paused_at.is_(None),
                func.least(AttemptRow.deadline + ending, AttemptRow.section_deadline + grace),
            ),
            else_=AttemptRow.closes_at + ending,
        )
        query = select(AttemptRow.id, overdue_at).where(
            AttemptRow.status == AttemptStatus.IN_PROGRESS.value,
            or_(AttemptRow.paused_at.is_(None), AttemptRow.closes_at.is_not(None)),
        )
        rows = await self._session.execute(query)
        return [(attempt_id, at) for attempt_id, at in rows]


_: type[InProgressDeadlines] = SqlInProgressDeadlines
