"""An exam's attempts with their answered counts, counted by PostgreSQL."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import defer

from application.ports.exam_board import BoardRow, ExamBoard
from infrastructure.postgres.attempt_mapping import to_live_attempt
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.sessions import SessionSource

# The answer sheet is counted where it lies: its keys, never its values, leave the server.
_ANSWERED = select(func.count()).select_from(func.jsonb_object_keys(AttemptRow.answers))


class SqlExamBoard:
    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def of_exam(self, exam_id: UUID) -> list[BoardRow]:
        result = await self._sessions.current.execute(
            select(AttemptRow, _ANSWERED.scalar_subquery())
            .options(defer(AttemptRow.answers))
            .where(AttemptRow.exam_id == exam_id)
            .order_by(AttemptRow.started_at, AttemptRow.id)
            .execution_options(populate_existing=True)
        )
        return [BoardRow(attempt=to_live_attempt(row), answered=count) for row, count in result]


_: type[ExamBoard] = SqlExamBoard
