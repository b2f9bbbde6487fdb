"""One way to open a PostgreSQL connection, for the engine, the answer writes and migrations.

The URL is handed to asyncpg as it is, so libpq's multi-host form works everywhere:
`postgresql://h1:5432,h2:5432/db?target_session_attrs=read-write` tries the hosts in
order and keeps the first that accepts writes, which after a failover is the promoted
standby. SQLAlchemy's own URL parser cannot read that form (it takes `h1:5432,h2` for a
host and fails on the port), and its query-string form (`?host=h1:5432&host=h2:5432`)
would be a second syntax for operators to learn; so the engine gets its connections from
`connect` (`async_creator`) and its URL only names the dialect.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# An unreachable server should fail the request quickly (StorageUnavailable), not hang it.
# asyncpg applies it to the whole connect, every host of a multi-host URL together.
CONNECT_TIMEOUT_SECONDS = 5.0

_SCHEMES = ("postgresql+asyncpg://", "postgres+asyncpg://", "postgresql://", "postgres://")


def asyncpg_dsn(database_url: str) -> str:
    """`database_url` with the scheme asyncpg reads (it knows no `+asyncpg` suffix)."""
    for scheme in _SCHEMES:
        if database_url.startswith(scheme):
            return "postgresql://" + database_url[len(scheme) :]
    raise ValueError(f"not a PostgreSQL URL: {database_url!r}")


def connector(
    database_url: str,
    *,
    timeout: float = CONNECT_TIMEOUT_SECONDS,
    command_timeout: float | None = None,
) -> Callable[[], Awaitable[asyncpg.Connection]]:
    """A function opening one connection to the server `database_url` names (any host of a
    multi-host URL that matches its `target_session_attrs`)."""
    dsn = asyncpg_dsn(database_url)  # a wrong URL fails here, at start, not per request

    async def connect() -> asyncpg.Connection:
        return await asyncpg.connect(
            dsn,
            timeout=timeout,
            command_timeout=command_timeout,
            # JIT only slows the short OLTP statements and asyncpg's type introspection.
            server_settings={"jit": "off"},
        )

    return connect


def async_engine(
    database_url: str, *, command_timeout: float | None = None, **options: Any
) -> AsyncEngine:
    """A SQLAlchemy engine (asyncpg dialect) whose connections come from `connector`."""
    return create_async_engine(
        "postgresql+asyncpg://",
        async_creator=connector(database_url, command_timeout=command_timeout),
        **options,
    )
