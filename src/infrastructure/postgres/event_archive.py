"""Finished attempts' events moved from attempt_events to attempt_events_archive."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import text

from application.ports.event_archive import ArchivedBatch, EventArchive
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.session_repository import SessionRepository

# Hand-written: one statement moves a batch (choose the attempts by primary key, delete
# their events, insert what was deleted), which the ORM cannot say. `updated_at` is the
# attempt's last change, so a regraded or reopened attempt counts from that change.
_MOVE = text("""
WITH chosen AS (
    SELECT id FROM attempts
    WHERE status <> 'in_progress' AND updated_at < :finished_before
      AND (CAST(:after AS uuid) IS NULL OR id > CAST(:after AS uuid))
    ORDER BY id
    LIMIT :batch
), moved AS (
    DELETE FROM attempt_events AS e USING chosen
    WHERE e.attempt_id = chosen.id
    RETURNING e.id, e.attempt_id, e.version, e.kind, e.at, e.data
), archived AS (
    INSERT INTO attempt_events_archive (id, attempt_id, version, kind, at, data)
    SELECT id, attempt_id, version, kind, at, data FROM moved
    RETURNING 1
)
SELECT (SELECT count(*) FROM chosen), (SELECT count(*) FROM archived),
       (SELECT max(id::text)::uuid FROM chosen)
""")


# The live table the events left and the archive they went to.
_RECLAIMED = ("attempt_events", "attempt_events_archive")


class SqlEventArchive(SessionRepository):
    @translate_errors
    async def move_finished(
        self, finished_before: datetime, after: UUID | None, limit: int
    ) -> ArchivedBatch:
        row = (
            await self._session.execute(
                _MOVE, {"finished_before": finished_before, "after": after, "batch": limit}
            )
        ).one()
        attempts, events, last = row
        return ArchivedBatch(attempts=attempts, events=events, last_attempt_id=last)

    @translate_errors
    async def reclaim(self) -> None:
        # VACUUM refuses to run in a transaction block: this unit's next connection
        # autocommits (the pool resets it when it is given back).
        connection = await self._session.connection(
            execution_options={"isolation_level": "AUTOCOMMIT"}
        )
        for table in _RECLAIMED:
            await connection.execute(text(f"VACUUM (ANALYZE) {table}"))


_: type[EventArchive] = SqlEventArchive
