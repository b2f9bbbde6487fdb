"""The unit of work's transaction: the session every adapter of this unit writes through."""

from __future__ import annotations

from application.ports import Transaction
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.sessions import SessionSource


class SqlTransaction:
    """Commits or rolls back the unit's session; nothing to do when it never opened one."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def commit(self) -> None:
        session = self._sessions.opened
        if session is not None:
            await session.commit()

    @translate_errors
    async def rollback(self) -> None:
        session = self._sessions.opened
        if session is not None:
            await session.rollback()

    async def end_reads(self) -> None:
        # A session that only read has nothing to lose: rolling back ends its transaction.
        await self.rollback()


_: type[Transaction] = SqlTransaction
