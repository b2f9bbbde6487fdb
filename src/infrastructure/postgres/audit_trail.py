"""Every attempt's audit trail in PostgreSQL (attempt_events, and its archive)."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import select

from application.ports import AuditTrail
from domain.attempt import Attempt
from domain.events import AttemptEvent, EventKind
from infrastructure.postgres.attempt_reads import EVERY_ATTEMPT_EVENT, append_pending_events
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.session_repository import SessionRepository


class SqlAuditTrail(SessionRepository):
    """Reads the events in insertion order; appends join the session's transaction."""

    @translate_errors
    async def events(self, attempt_id: UUID) -> list[AttemptEvent]:
        # Archived events too: `hourglass archive-events` moves old attempts' trails.
        events = EVERY_ATTEMPT_EVENT
        rows = await self._session.execute(
            select(events.c.kind, events.c.at, events.c.version, events.c.data)
            .where(events.c.attempt_id == attempt_id)
            .order_by(events.c.id)
        )
        return [
            AttemptEvent(kind=EventKind(kind), at=at, version=version, data=data)
            for kind, at, version, data in rows
        ]

    @translate_errors
    async def append_events(self, attempt: Attempt) -> None:
        await append_pending_events(self._session, attempt)


_: type[AuditTrail] = SqlAuditTrail
