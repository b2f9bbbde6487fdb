"""The calibration worker as a background task of `serve`."""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer

from application.calibration_worker import CalibrationWorker
from infrastructure.postgres.sessions import DatabaseSessions
from presentation.bootstrap.background_task import stop_within

# How long stop() waits for a fit in progress. A fit not done by then is left `running`:
# its heartbeat stops, and the next process claims it once it is stale (docs/operations.md).
_STOP_GRACE_SECONDS = 5.0


class CalibrationLoop:
    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._worker: CalibrationWorker | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._worker = await self._container.get(CalibrationWorker)
        sessions = await self._container.get(DatabaseSessions)
        self._task = asyncio.create_task(
            self._worker.run(sessions.unit), name="hourglass-calibrations"
        )

    async def stop(self) -> None:
        if self._worker is None or self._task is None:
            return
        self._worker.stop()
        await stop_within(self._task, _STOP_GRACE_SECONDS)
