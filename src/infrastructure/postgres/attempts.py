"""Attempt aggregates in PostgreSQL, the source of truth."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Select, func, insert, select, update

from application.ports import Attempts
from domain.attempt import Attempt
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import changed_columns, new_attempt_row
from infrastructure.postgres.attempt_reads import (
    append_pending_events,
    read_attempts,
    select_attempts,
    written_at,
)
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.session_repository import SessionRepository


class SqlAttempts(SessionRepository):
    """Reads map rows to `Attempt`; writes join the session's transaction."""

    @translate_errors
    async def add(self, attempt: Attempt, *, number: int) -> None:
        # Executed now, not at commit, so a concurrent start fails here as ActiveAttemptExists.
        row = new_attempt_row(attempt, number=number, at=written_at(attempt))
        await self._session.execute(insert(AttemptRow).values(row))
        await append_pending_events(self._session, attempt)

    @translate_errors
    async def get(self, attempt_id: UUID) -> Attempt | None:
        return await self._one(_by_id(attempt_id))

    @translate_errors
    async def get_for_update(self, attempt_id: UUID) -> Attempt | None:
        return await self._one(_by_id(attempt_id).with_for_update())

    @translate_errors
    async def update(self, attempt: Attempt) -> None:
        await self._session.execute(
            update(AttemptRow)
            .where(AttemptRow.id == attempt.id)
            .values(changed_columns(attempt, at=written_at(attempt)))
            # Reads use populate_existing, so the identity map needs no synchronising.
            .execution_options(synchronize_session=False)
        )
        await append_pending_events(self._session, attempt)

    @translate_errors
    async def find_in_progress(self, exam_id: UUID, candidate_id: str) -> Attempt | None:
        return await self._one(
            select_attempts().where(
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

    @translate_errors
    async def count_in_progress(self) -> int:
        count = await self._session.scalar(
            select(func.count()).where(AttemptRow.status == AttemptStatus.IN_PROGRESS.value)
        )
        return count or 0

    async def _one(self, statement: Select[AttemptRow]) -> Attempt | None:
        row = await self._session.scalar(statement)
        return None if row is None else (await read_attempts(self._session, [row]))[0]


def _by_id(attempt_id: UUID) -> Select[AttemptRow]:
    return select_attempts().where(AttemptRow.id == attempt_id)


_: type[Attempts] = SqlAttempts
