"""Every attempt's audit trail in PostgreSQL (the attempt_events table)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from application.ports import AuditTrail
from domain.attempt import Attempt
from domain.events import AttemptEvent
from infrastructure.postgres.attempt_mapping import to_event
from infrastructure.postgres.attempt_reads import append_pending_events
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptEventRow
from infrastructure.postgres.session_repository import SessionRepository


class SqlAuditTrail(SessionRepository):
    """Reads the events in insertion order; appends join the session's transaction."""

    @translate_errors
    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        rows = await self._session.scalars(
            select(AttemptEventRow)
            .where(AttemptEventRow.attempt_id == attempt_id)
            .order_by(AttemptEventRow.id)
        )
        return [to_event(row) for row in rows]

    @translate_errors
    async def append_events(self, attempt: Attempt) -> None:
        await append_pending_events(self._session, attempt)


_: type[AuditTrail] = SqlAuditTrail
