"""A loop-lag probe: a task that sleeps a few milliseconds at a time and records by how
much each sleep overshot, i.e. how long something else held the event loop.

It records two figures per sleep. `max_lag` is the overshoot in wall-clock time: what a
request waiting on this loop feels, but on a machine shared by other busy processes it
also counts the time the OS gave the CPU to them. `max_held` is the CPU time the loop's
thread spent meanwhile, i.e. on other callbacks: what the code under test costs, however
busy the machine is."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

PROBE_SLEEP_SECONDS = 0.005


class LoopLagProbe:
    def __init__(self) -> None:
        self.max_lag = 0.0
        self.max_held = 0.0

    async def _run(self) -> None:
        while True:
            started, cpu_started = time.perf_counter(), time.thread_time()
            await asyncio.sleep(PROBE_SLEEP_SECONDS)
            overshoot = time.perf_counter() - started - PROBE_SLEEP_SECONDS
            self.max_lag = max(self.max_lag, overshoot)
            self.max_held = max(self.max_held, time.thread_time() - cpu_started)


@asynccontextmanager
async def probing() -> AsyncIterator[LoopLagProbe]:
    """The probe runs for the body of the `async with`; read its figures after it."""
    probe = LoopLagProbe()
    task = asyncio.create_task(probe._run())
    await asyncio.sleep(0)  # the probe's first sleep starts before the work under test
    try:
        yield probe
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
