"""Runs queued calibration jobs, one at a time per process, the EM off the event loop.

A job survives a restart of its process: while the EM runs the worker beats the job's
heartbeat; a job left `running` by a process that died stops beating, and after
`stale_after` any worker claims it again and fits it from the start (the fit is
deterministic, so nothing is lost but time). After `MAX_CLAIMS` claims it is marked
failed rather than tried forever. A claim lost meanwhile (another worker took the job)
cannot overwrite the other's outcome: every write names its claim.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta

from application.calibration_fit import StoredResponsesOf, fit_exam_responses
from application.errors import StorageUnavailable
from application.ports import Transaction
from application.ports.calibrations import CalibrationQueue
from application.use_cases.calibrations import CalibrationWakeUp
from domain.calibration.job import MAX_CLAIMS, CalibrationJob, CalibrationOutcome, CalibrationStatus
from domain.errors import Refusal

logger = logging.getLogger("hourglass.calibration")


@dataclass(frozen=True, slots=True, kw_only=True)
class CalibrationWorkerSettings:
    heartbeat: timedelta = timedelta(seconds=5)
    # Several missed beats: a busy machine must not look like a dead process.
    stale_after: timedelta = timedelta(seconds=60)
    poll_interval: timedelta = timedelta(seconds=5)
    max_claims: int = MAX_CLAIMS


class CalibrationWorker:
    """`run()` until `stop()`; `run_once()` takes and finishes at most one job."""

    def __init__(
        self,
        queue: CalibrationQueue,
        stored: StoredResponsesOf,
        transaction: Transaction,
        wake_up: CalibrationWakeUp,
        settings: CalibrationWorkerSettings,
    ) -> None:
        self._queue = queue
        self._stored = stored
        self._transaction = transaction
        self._settings = settings
        self._stopping = asyncio.Event()
        self._woken = asyncio.Event()
        wake_up.subscribe(self._woken.set)
        self.finished = 0

    def stop(self) -> None:
        self._stopping.set()
        self._woken.set()

    async def run(self, unit: Callable[[], AbstractAsyncContextManager[object]]) -> None:
        """Each job in a `unit()` of work of its own, as a request is."""
        while not self._stopping.is_set():
            try:
                async with unit():
                    job = await self.run_once()
            except StorageUnavailable as error:
                logger.warning("calibration worker: storage unavailable: %s", error)
                job = None
            except Exception:  # the worker must outlive any one failure
                logger.exception("calibration worker: unexpected error")
                job = None
            if job is None:
                await self._sleep()

    async def run_once(self) -> CalibrationJob | None:
        job = await self._queue.claim(
            stale_after=self._settings.stale_after, max_claims=self._settings.max_claims
        )
        if job is None or job.status is not CalibrationStatus.RUNNING:
            return job  # None, or a job given up after too many claims (now failed)
        beating = asyncio.create_task(self._beat(job))
        try:
            outcome = await self._fit(job)
        except Refusal as error:  # no responses to fit, the exam gone
            await self._queue.fail(job.id, job.claims, error.message)
        except Exception as error:  # a bug must fail the job, not leave it running
            logger.exception("calibration %s failed", job.id)
            await self._queue.fail(job.id, job.claims, f"internal error: {type(error).__name__}")
        else:
            await self._queue.succeed(job.id, job.claims, outcome)
        finally:
            beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beating
        self.finished += 1
        return job

    async def _fit(self, job: CalibrationJob) -> CalibrationOutcome:
        exam = await self._stored.exam(job.exam_id)
        await self._transaction.end_reads()  # no connection held through the fit
        sheets = await self._stored.sheets(exam.id)
        # The EM is CPU-bound for seconds: a thread keeps the loop serving requests (numpy
        # releases the GIL inside its matrix products).
        return await asyncio.to_thread(fit_exam_responses, exam, sheets, job.model)

    async def _beat(self, job: CalibrationJob) -> None:
        interval = self._settings.heartbeat.total_seconds()
        while True:
            await asyncio.sleep(interval)
            try:
                if not await self._queue.beat(job.id, job.claims):
                    return
            except StorageUnavailable:
                continue  # the next beat may get through; staleness allows several misses

    async def _sleep(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(
                self._woken.wait(), timeout=self._settings.poll_interval.total_seconds()
            )
        self._woken.clear()
