"""A bench's own database beside the backing server's, dropped when the bench is done."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from infrastructure.postgres.migrations import upgrade_database


def beside(url: str, name: str) -> str:
    """The URL of database `name` on `url`'s server."""
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


@contextlib.contextmanager
def scratch_database(server_url: str, label: str, *, migrated: bool = True) -> Iterator[str]:
    """A new database `<label>_<random>` on `server_url`'s server (migrated to head unless
    told not to); dropped afterwards, whatever connections are still open to it."""
    name = f"{label}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(server_url, f'CREATE DATABASE "{name}"'))
    url = beside(server_url, name)
    try:
        if migrated:
            upgrade_database(url)
        yield url
    finally:
        asyncio.run(_admin(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()
