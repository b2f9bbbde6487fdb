"""The sweeper loop: frequent passes over the deadline index, rarer ones over PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from dataclasses import dataclass, field
from functools import partial

from dishka import AsyncContainer
from dishka.exceptions import NoFactoryError
from redis.asyncio import Redis

from application.errors import StorageUnavailable
from application.ports import SweepReport
from application.use_cases.refill_deadline_index import RefillDeadlineIndex
from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.server_run import server_run_id
from infrastructure.settings import Settings
from presentation.api.metrics import Family, Histogram
from presentation.bootstrap.index_refill import IndexRefillTrigger
from presentation.bootstrap.units import unit_of_work

logger = logging.getLogger("hourglass.sweeper")

# How long stop() waits for a pass in flight before cancelling it.
_PASS_GRACE_SECONDS = 5.0
# Seconds from deadline + grace to committed; the service promises under 1 s.
LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.5, 5.0, 10.0, 30.0)


@dataclass(slots=True)
class SweeperCounts:
    """What this process's sweeper loop has done since it started."""

    passes: int = 0
    failed_passes: int = 0
    expired: int = 0
    latest_max_lag_seconds: float = 0.0  # of the latest pass that expired anything
    refills: int = 0  # of the deadline index from PostgreSQL, after Redis came back
    lags: Histogram = field(default_factory=lambda: Histogram(LAG_BUCKETS))


class SweeperLoop:
    """Runs ExpireOverdueAttempts every `sweep_interval_seconds` from the index, and every
    `reconcile_interval_seconds` from PostgreSQL too, each pass in its own DI request scope.
    While Redis's breaker is open the index answers nothing, so every pass goes to
    PostgreSQL: expiry stays within one interval of deadline + grace during an outage.
    Several loops (processes, machines) may run at once: rows are taken SKIP LOCKED."""

    def __init__(self, container: AsyncContainer, settings: Settings) -> None:
        self._container = container
        self._interval = settings.sweep_interval_seconds
        self._reconcile_every = settings.reconcile_interval_seconds
        self._batch_size = settings.sweep_batch_size
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self.counts = SweeperCounts()

    async def sweep_once(self, *, dry_run: bool = False, from_database: bool = True) -> SweepReport:
        command = SweepCommand(
            from_database=from_database, dry_run=dry_run, batch_size=self._batch_size
        )
        async with unit_of_work(self._container) as request:
            sweep = await request.get(ExpireOverdueAttempts)
            report = await sweep(command)
        _log(report)
        self.counts.passes += 1
        if not report.dry_run and (report.expired or report.sections_finished):
            self.counts.expired += len(report.expired)
            self.counts.latest_max_lag_seconds = report.max_lag_seconds
            for lag in report.lags_seconds:
                self.counts.lags.observe(lag)
        return report

    async def _redis_unavailable(self) -> bool:
        """Whether the deadline index is being skipped (no Redis guard: never)."""
        try:
            guard = await self._container.get(RedisGuard)
        except NoFactoryError:
            return False
        return guard.redis_unavailable

    async def _refill_trigger(self) -> IndexRefillTrigger | None:
        """None without Redis (a container with no Redis client)."""
        try:
            client = await self._container.get(Redis)
            guard = await self._container.get(RedisGuard)
        except NoFactoryError:
            return None
        return IndexRefillTrigger(partial(server_run_id, client, guard))

    async def refill_index(self) -> int:
        """Schedule every attempt in progress in the deadline index again (PostgreSQL)."""
        async with unit_of_work(self._container) as request:
            refill = await request.get(RefillDeadlineIndex)
            scheduled = await refill()
        self.counts.refills += 1
        logger.info("deadline index refilled: %d attempts in progress scheduled", scheduled)
        return scheduled

    async def run(self) -> None:
        next_reconcile = 0.0
        trigger = await self._refill_trigger()
        while not self._stopping:
            started = time.monotonic()
            unavailable = await self._redis_unavailable()
            reconcile = started >= next_reconcile or unavailable
            try:
                if trigger is not None and await trigger.due(redis_unavailable=unavailable):
                    await self.refill_index()
                    trigger.refilled()
                await self.sweep_once(from_database=reconcile)
            except StorageUnavailable as error:
                self.counts.failed_passes += 1
                logger.warning("sweeper pass failed, PostgreSQL unavailable: %s", error)
            except Exception:  # a bad pass must not end the loop that finalises attempts
                self.counts.failed_passes += 1
                logger.exception("sweeper pass failed")
            if reconcile:
                next_reconcile = started + self._reconcile_every
            await asyncio.sleep(max(0.0, self._interval - (time.monotonic() - started)))

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="hourglass-sweeper")

    async def stop(self) -> None:
        """End the loop, letting a pass in flight finish its batch first (the loop checks
        the flag between passes). Cancelling is the fallback, repeated because a pass that
        swallowed one cancellation (a driver's timeout race) must not hang shutdown."""
        self._stopping = True
        task = self._task
        if task is None:
            return
        await asyncio.wait({task}, timeout=self._interval + _PASS_GRACE_SECONDS)
        while not task.done():
            task.cancel()
            await asyncio.wait({task}, timeout=1.0)
        with contextlib.suppress(asyncio.CancelledError, Exception):
            task.result()


def _log(report: SweepReport) -> None:
    count = len(report.due if report.dry_run else report.expired)
    level = logging.INFO if count or report.dry_run else logging.DEBUG
    logger.log(
        level,
        "sweep %s(%s): %d %s, max lag %.3f s, %.0f ms",
        "dry run " if report.dry_run else "",
        "+".join(report.sources) or "database",
        count,
        "overdue" if report.dry_run else "expired",
        report.max_lag_seconds,
        (report.finished_at - report.started_at).total_seconds() * 1000,
    )


def sweeper_families(counts: SweeperCounts) -> list[Family]:
    """The sweeper loop of this process, for GET /metrics."""
    return [
        Family("hourglass_sweeper_passes_total", "counter", "Sweeper passes run.",
               (("", {}, counts.passes),)),
        Family("hourglass_sweeper_failed_passes_total", "counter",
               "Sweeper passes that failed (PostgreSQL or Redis unavailable, or a bug).",
               (("", {}, counts.failed_passes),)),
        Family("hourglass_sweeper_expired_total", "counter",
               "Attempts this process's sweeper finalised as expired.",
               (("", {}, counts.expired),)),
        Family("hourglass_sweeper_last_max_lag_seconds", "gauge",
               "Worst lag (overdue to committed) in the latest pass that expired attempts.",
               (("", {}, counts.latest_max_lag_seconds),)),
        Family("hourglass_deadline_index_refills_total", "counter",
               "Times this sweeper refilled the deadline index from PostgreSQL (Redis back "
               "after an outage, or restarted).",
               (("", {}, counts.refills),)),
        counts.lags.family("hourglass_expiry_lag_seconds",
                           "Deadline + grace to committed, per attempt this sweeper expired."),
    ]  # fmt: skip
