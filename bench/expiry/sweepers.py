"""Production sweeper loops, each in its own process with its own DI container, as several
`hourglass sweep` processes would run; every pass's report is sent back to the bench."""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from multiprocessing.synchronize import Event
from pathlib import Path
from typing import TypeAlias
from uuid import UUID

import msgspec
from dishka import AsyncContainer, make_async_container

from application.ports import SweepReport
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.sweeper import SweeperLoop

REPORT_GRACE_SECONDS = 1.0


class RecordingSweeper(SweeperLoop):
    """The production loop, keeping every pass's report."""

    def __init__(self, container: AsyncContainer, settings: Settings) -> None:
        super().__init__(container, settings)
        self.passes: list[SweepReport] = []
        self._stopping = False

    async def sweep_once(self, *, dry_run: bool = False, from_database: bool = True) -> SweepReport:
        report = await super().sweep_once(dry_run=dry_run, from_database=from_database)
        self.passes.append(report)
        if self._stopping:  # a cancellation swallowed inside the pass (see stop())
            raise asyncio.CancelledError
        return report


@dataclass(frozen=True, slots=True)
class Pass:
    """One sweeper pass that expired something (or finished sections), as plain values."""

    sweeper: int
    expired: list[UUID]
    lags: list[float]
    seconds: float


Reply: TypeAlias = tuple[int, list[tuple[list[str], list[float], float]], int]
Replies: TypeAlias = "multiprocessing.Queue[Reply]"


async def run_sweepers(
    settings: Settings,
    count: int,
    overdue_at: datetime,
    finished: Callable[[], Awaitable[bool]],
    *,
    limit_seconds: float,
    profile_dir: Path | None,
    tag: str,
) -> tuple[list[Pass], int]:
    """Start `count` sweeper processes before `overdue_at`, await `finished()` every 50 ms
    from the overdue moment until it says True (or `timeout`), then stop them."""
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    replies: Replies = context.Queue()
    raw = msgspec.to_builtins(settings)
    processes = [
        context.Process(
            target=_worker,
            args=(
                number,
                raw,
                overdue_at.timestamp(),
                stop,
                replies,
                None if profile_dir is None else str(profile_dir / f"expiry-{tag}-s{number}"),
            ),
            daemon=True,
        )
        for number in range(count)
    ]
    for process in processes:
        process.start()
    try:
        await asyncio.sleep(max(0.0, overdue_at.timestamp() - time.time()))
        give_up = time.monotonic() + limit_seconds
        while time.monotonic() < give_up and not await finished():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        # A pass that committed the last rows may still be writing its report: stopping it
        # now would cancel it and lose its lags (seen with two sweepers and sections).
        await asyncio.sleep(REPORT_GRACE_SECONDS)
        stop.set()
        passes: list[Pass] = []
        total = 0
        for _ in processes:
            number, reports, all_passes = await asyncio.to_thread(replies.get, True, 60)
            total += all_passes
            passes += [Pass(number, [UUID(i) for i in ids], lags, secs)
                       for ids, lags, secs in reports]  # fmt: skip
        return passes, total
    finally:
        stop.set()
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()


def _worker(
    number: int,
    raw_settings: dict[str, object],
    overdue_at: float,
    stop: Event,
    replies: Replies,
    profile_path: str | None,
) -> None:
    settings = msgspec.convert(raw_settings, Settings)
    reports = asyncio.run(_sweep(settings, overdue_at, stop, profile_path))
    # Expired attempts, then sections finished by their clock: `lags_seconds`'s order.
    busy = [
        ([str(i) for i in (*r.expired, *r.sections_finished)], list(r.lags_seconds),
         (r.finished_at - r.started_at).total_seconds())
        for r in reports if r.expired or r.sections_finished
    ]  # fmt: skip
    replies.put((number, busy, len(reports)))


async def _sweep(
    settings: Settings, overdue_at: float, stop: Event, profile_path: str | None
) -> list[SweepReport]:
    container = make_async_container(*default_providers(), context={Settings: settings})
    loop = RecordingSweeper(container, settings)
    try:
        loop.start()  # running before the burst, as a deployed sweeper would be
        await asyncio.sleep(max(0.0, overdue_at - time.time() - 0.3))
        with _profiled(profile_path):
            while not stop.is_set():  # noqa: ASYNC110 (a multiprocessing event)
                await asyncio.sleep(0.02)
    finally:
        await loop.stop()
        await container.close()
    return loop.passes


@contextlib.contextmanager
def _profiled(path: str | None) -> Iterator[None]:
    """pyinstrument over the sweeper process's event loop during the burst (if asked)."""
    if path is None:
        yield
        return
    from pyinstrument import Profiler

    Path(path).parent.mkdir(parents=True, exist_ok=True)
    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    try:
        yield
    finally:
        profiler.stop()
        Path(path + ".txt").write_text(profiler.output_text(unicode=True, show_all=False))
        Path(path + ".html").write_text(profiler.output_html())
