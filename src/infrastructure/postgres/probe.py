"""Readiness: does PostgreSQL answer a trivial query in time?"""

from __future__ import annotations

import asyncio

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from application.ports import Probe

_TIMEOUT_SECONDS = 1.0


class PostgresProbe:
    """Asks PostgreSQL for `SELECT 1` through the app's pool; any failure means not ready."""

    name = "postgres"

    def __init__(self, engine: AsyncEngine, timeout_seconds: float = _TIMEOUT_SECONDS) -> None:
        self._engine = engine
        self._timeout = timeout_seconds

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(self._timeout):
                async with self._engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
        except Exception:  # a readiness check reports failure, it never raises
            return False
        return True


_: type[Probe] = PostgresProbe
