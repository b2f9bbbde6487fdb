"""In-process use cases the service's loops and commands run, each in a DI request scope
of its own: the sweeper's reconciliation pass (`ExpireOverdueAttempts` from PostgreSQL
only), timed; and `hourglass archive-events`' use case."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from dishka import make_async_container

from application.use_cases.archive_events import ArchiveFinishedEvents, ArchiveReport
from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from bench.scenarios.context import BenchContext
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.units import unit_of_work


def _settings(bench: BenchContext) -> Settings:
    return Settings(
        database_url=bench.backing.database_url, redis_url=bench.backing.redis_url,
        redis_key_prefix=bench.prefix, jwt_secret=bench.secret, sweeper_enabled=False,
        log_level="WARNING",
    )  # fmt: skip


async def archive_history(bench: BenchContext, batch_size: int) -> tuple[ArchiveReport, float]:
    """Every finished attempt's events to the archive, as the command does: (report, s)."""
    settings = _settings(bench)
    container = make_async_container(*default_providers(), context={Settings: settings})
    began = time.perf_counter()
    try:
        async with unit_of_work(container) as request:
            archive = await request.get(ArchiveFinishedEvents)
            report = await archive(datetime.now(UTC), batch_size=batch_size)
    finally:
        await container.close()
    return report, time.perf_counter() - began


async def reconciliation_passes(bench: BenchContext, passes: int) -> list[float]:
    settings = _settings(bench)
    container = make_async_container(*default_providers(), context={Settings: settings})
    command = SweepCommand(from_index=False, from_database=True)
    seconds: list[float] = []
    try:
        for _ in range(passes + 1):  # the first one opens the pool: not counted
            began = time.perf_counter()
            async with unit_of_work(container) as request:
                await (await request.get(ExpireOverdueAttempts))(command)
            seconds.append(time.perf_counter() - began)
    finally:
        await container.close()
    return seconds[1:]
