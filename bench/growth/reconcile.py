"""The sweeper's reconciliation pass, timed: `ExpireOverdueAttempts` from PostgreSQL only,
in a DI request scope of its own as the sweeper loop runs it."""

from __future__ import annotations

import time

from dishka import make_async_container

from application.use_cases.sweep import ExpireOverdueAttempts, SweepCommand
from bench.scenarios.context import BenchContext
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.units import unit_of_work


async def reconciliation_passes(bench: BenchContext, passes: int) -> list[float]:
    settings = Settings(
        database_url=bench.backing.database_url, redis_url=bench.backing.redis_url,
        redis_key_prefix=bench.prefix, jwt_secret=bench.secret, sweeper_enabled=False,
        log_level="WARNING",
    )  # fmt: skip
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
