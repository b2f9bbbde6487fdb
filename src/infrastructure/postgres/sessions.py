"""One SQLAlchemy session per unit of work (an HTTP request, a sweeper pass, a CLI command).

The repositories and the transaction live for the whole process; the session they write
through belongs to the unit of work in progress, found through a context variable as
SQLAlchemy's own `async_scoped_session` does. The session is opened on first use: most
requests (autosaves on the asyncpg path, timer reads from hot state) never touch it, and
opening and closing one costs more than the rest of a cached timer read.
"""

from __future__ import annotations

from contextvars import ContextVar, Token
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker


class SessionSource(Protocol):
    """Where a repository finds the session of the unit of work it is serving."""

    @property
    def current(self) -> AsyncSession: ...

    @property
    def opened(self) -> AsyncSession | None: ...


class _Unit:
    __slots__ = ("session",)

    def __init__(self) -> None:
        self.session: AsyncSession | None = None


class SessionScope:
    """The span over which one unit of work has its session: entering makes the unit
    current, leaving closes the session it opened (if any).

    A class rather than a generator-based context manager because every HTTP request
    enters one, and contextlib's wrapper adds a generator and its frames.
    """

    __slots__ = ("_token", "_unit", "_variable")

    def __init__(self, variable: ContextVar[_Unit | None]) -> None:
        self._variable = variable
        self._unit = _Unit()
        self._token: Token[_Unit | None] | None = None

    async def __aenter__(self) -> None:
        self._token = self._variable.set(self._unit)

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._token is not None:
            self._variable.reset(self._token)
            self._token = None
        session, self._unit.session = self._unit.session, None
        if session is not None:
            await session.close()


class DatabaseSessions:
    """The session of each unit of work, opened lazily and closed when the unit ends."""

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker
        # One variable per instance: two apps in one process keep their units apart.
        self._unit: ContextVar[_Unit | None] = ContextVar(f"hourglass_unit_{id(self)}")

    def unit(self) -> SessionScope:
        """`async with sessions.unit():` runs the body as one unit of work; its session (if
        opened) is closed at the end, which rolls back whatever it did not commit."""
        return SessionScope(self._unit)

    @property
    def current(self) -> AsyncSession:
        unit = self._unit.get(None)
        if unit is None:
            # A repository used outside `unit()` would leak its session and connection.
            raise RuntimeError("no unit of work in progress: wrap the call in sessions.unit()")
        if unit.session is None:
            unit.session = self._sessionmaker()
        return unit.session

    @property
    def opened(self) -> AsyncSession | None:
        unit = self._unit.get(None)
        return None if unit is None else unit.session


@dataclass(frozen=True, slots=True)
class OneSession:
    """A session the caller opened and closes itself (scripts, adapter tests)."""

    session: AsyncSession

    @property
    def current(self) -> AsyncSession:
        return self.session

    @property
    def opened(self) -> AsyncSession | None:
        return self.session


_: type[SessionSource] = DatabaseSessions
__: type[SessionSource] = OneSession
