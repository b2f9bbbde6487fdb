"""What every SQLAlchemy repository shares: the session it works in."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from infrastructure.postgres.sessions import SessionSource


class SessionRepository:
    """Base of the repositories that live for the whole process and read and write through
    the session of whichever unit of work (a request, a sweeper pass, a command) is in
    progress, so their writes join that unit's transaction."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @property
    def _session(self) -> AsyncSession:
        return self._sessions.current
