"""The async engine and session factory; one engine per process, one session per request."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from infrastructure.postgres.connect import async_engine

# Recycle before common idle-connection timeouts of proxies and managed servers (often 1 h+).
_POOL_RECYCLE_SECONDS = 1800
_POOL_TIMEOUT_SECONDS = 10.0
# A primary that vanished without closing its sockets (a lost machine, a partition) leaves
# statements waiting for a reply TCP would only give up on after many minutes: past this
# the request is refused (503) instead. Far above any statement a request or a sweeper
# pass runs; migrations, which may run longer, use an engine of their own without it.
_COMMAND_TIMEOUT_SECONDS = 30.0


def create_engine(database_url: str, *, pool_size: int) -> AsyncEngine:
    """An asyncpg engine for `database_url` (postgresql://…, one host or several: see
    connect.py), at most `pool_size` connections."""
    return async_engine(
        database_url,
        command_timeout=_COMMAND_TIMEOUT_SECONDS,
        pool_size=pool_size,
        # pool_size is the hard cap, so operators can size it against max_connections.
        max_overflow=0,
        pool_timeout=_POOL_TIMEOUT_SECONDS,
        pool_recycle=_POOL_RECYCLE_SECONDS,
        # No ping per checkout: a dead connection fails its statement, which errors.py turns
        # into StorageUnavailable and the pool replaces; a ping would cost a round trip each.
        pool_pre_ping=False,
        # LIFO keeps a few connections hot (prepared statements cached) under light load.
        pool_use_lifo=True,
        # Returning a connection only rolls back when a transaction is open (the adapter
        # tracks it), so a clean checkin costs no round trip.
        pool_reset_on_return="rollback",
    )


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions whose objects stay usable after commit and that never flush on their own."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
