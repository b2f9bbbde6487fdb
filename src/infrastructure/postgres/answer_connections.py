"""The answer write's own asyncpg connections, lent one request at a time."""

from __future__ import annotations

import asyncio
from types import TracebackType

import asyncpg

from infrastructure.postgres.connect import connector
from infrastructure.postgres.first_come import FirstComeFirstServed


class AnswerConnections:
    """At most `size` plain asyncpg connections, opened on first use, lent first come first
    served, and closed by `close()`.

    asyncpg's own pool costs nearly as much per request as the statement it serves: its
    release runs under `asyncio.shield` (a new task per request), behind several layers
    of holders and timeouts (measured against this lender by `python -m bench.clients`;
    figures in docs/benchmarks.md, "Client libraries"). What it does beyond lending is not
    needed on this path: the statements run in autocommit and change no session state,
    so nothing is reset between requests.

    A connection returns to the line after a statement that succeeded or that PostgreSQL
    itself refused (the protocol is back in step); after anything else (a broken
    connection, a cancelled request that left a statement in flight) it is terminated and
    the next loan opens a fresh one.
    """

    def __init__(
        self,
        database_url: str,
        *,
        size: int,
        connect_timeout: float = 5.0,
        command_timeout: float = 10.0,
    ) -> None:
        # A multi-host URL works as in the engine: each new connection goes to the host
        # that accepts writes now, so after a failover the next loan finds the new primary.
        self._connect = connector(
            database_url, timeout=connect_timeout, command_timeout=command_timeout
        )
        self._turns = FirstComeFirstServed(size)
        self._idle: list[asyncpg.Connection] = []
        self._lent: set[asyncpg.Connection] = set()
        self._closed = False

    def lend(self) -> ConnectionLoan:
        """`async with connections.lend() as connection:` one connection for one statement."""
        return ConnectionLoan(self)

    @property
    def opened(self) -> int:
        return len(self._idle) + len(self._lent)

    async def open_ahead(self) -> int:
        """Open every connection now rather than on first use, and say how many opened.

        For start-up: at an exam's start the first burst of requests would otherwise wait
        while all of them connect at once (each a TCP and authentication handshake and a
        new server process). Best effort: one that fails to open is left to the first
        loan that needs it.
        """
        held: list[asyncpg.Connection] = []

        async def hold_one() -> None:
            held.append(await self.take())

        try:
            every = range(self._turns.slots)
            await asyncio.gather(*(hold_one() for _ in every), return_exceptions=True)
        finally:  # cancelled too: what opened goes back to the idle line
            for connection in held:
                await self.give_back(connection, reusable=True)
        return len(held)

    async def close(self) -> None:
        """Close idle connections now and lent ones when they come back."""
        self._closed = True
        idle, self._idle = self._idle, []
        for connection in idle:
            await connection.close(timeout=2.0)

    async def take(self) -> asyncpg.Connection:
        """Wait for a turn, then an idle connection or a new one (prefer `lend`)."""
        if self._closed:
            raise asyncpg.InterfaceError("the answer connections are closed")
        await self._turns.__aenter__()
        try:
            connection = None
            while self._idle and connection is None:
                candidate = self._idle.pop()
                connection = None if candidate.is_closed() else candidate
            if connection is None:
                connection = await self._connect()
        except BaseException:
            await self._turns.__aexit__(None, None, None)
            raise
        self._lent.add(connection)
        return connection

    async def give_back(self, connection: asyncpg.Connection, *, reusable: bool) -> None:
        """End the loan of `connection`; it is terminated unless `reusable`."""
        self._lent.discard(connection)
        try:
            if reusable and not self._closed and not connection.is_closed():
                self._idle.append(connection)
            else:
                connection.terminate()
        finally:
            await self._turns.__aexit__(None, None, None)


class ConnectionLoan:
    __slots__ = ("_connection", "_connections")

    def __init__(self, connections: AnswerConnections) -> None:
        self._connections = connections
        self._connection: asyncpg.Connection | None = None

    async def __aenter__(self) -> asyncpg.Connection:
        self._connection = await self._connections.take()
        return self._connection

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            reusable = kind is None or isinstance(error, asyncpg.PostgresError)
            await self._connections.give_back(connection, reusable=reusable)
