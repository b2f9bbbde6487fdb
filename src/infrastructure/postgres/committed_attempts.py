"""The committed attempt on plain asyncpg, one autocommitted SELECT.

Why not the ORM repository: its read opens the unit's session (BEGIN, the SELECT, the
responses' SELECT, ROLLBACK when the unit ends), and at the deadline every open stream
reads its attempt once for the final status, in the same seconds as everyone's submit.
"""

from __future__ import annotations

from uuid import UUID

from application.ports import CommittedAttempts
from domain.attempt import Attempt
from domain.events import EventKind
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.asyncpg_rows import ATTEMPT_WITH_RESPONSES, attempt_from_record
from infrastructure.postgres.errors import translate_errors

COMMITTED = f"""
SELECT {ATTEMPT_WITH_RESPONSES}
FROM attempts AS attempt
WHERE attempt.id = $1
"""


class AsyncpgCommittedAttempts:
    """Runs on the answer write's connections (app-scoped), one statement per loan."""

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections

    @translate_errors
    async def get(self, attempt_id: UUID) -> Attempt | None:
        async with self._connections.lend() as connection:
            row = await connection.fetchrow(
                COMMITTED, attempt_id, EventKind.RESPONSE_RECORDED.value
            )
        return None if row is None else attempt_from_record(row, row["response_data"])


_: type[CommittedAttempts] = AsyncpgCommittedAttempts
