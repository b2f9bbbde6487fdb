"""The answer path's database connections, opened while `serve` starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from dishka import AsyncContainer

from infrastructure.postgres.answer_connections import AnswerConnections

logger = logging.getLogger(__name__)


class ConnectionsAhead:
    """Opens the start's, save's and submit's connections in the background at start-up.

    Otherwise the first burst of an exam morning pays for them: sixty-four candidates
    starting at once wait while twenty connections are made together, and that wait was
    the start's p99. In the background, so a database that is down delays nothing: the
    service starts, reports not ready, and connects on first use as before.
    """

    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._open(), name="hourglass-connections-ahead")

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _open(self) -> None:
        try:
            connections = await self._container.get(AnswerConnections)
            opened = await connections.open_ahead()
        except Exception as error:  # best effort: the first use connects anyway
            logger.info("database connections not opened ahead: %s", error)
            return
        logger.debug("opened %d database connections ahead", opened)
