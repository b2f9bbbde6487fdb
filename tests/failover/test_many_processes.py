"""Two API processes and two `hourglass sweep` processes on one PostgreSQL and one Redis:
1,000 attempts falling due within one second all expire exactly once, promptly.

The attempts belong to ten exams whose `closes_at` are 0.1 s apart, so every attempt's
deadline is its exam's closing time and the 1,000 deadlines span 0.9 s. The API
processes do not sweep (`HOURGLASS_SWEEPER_ENABLED=false`, as `serve --no-sweeper`), so
the two sweepers, racing over the same deadline index and rows, do all the work. The lag
percentiles are printed (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import pytest

from tests.faults.load import ADMIN, SECRET, exam_body, start_attempts
from tests.faults.servers import (
    ApiProcess,
    OwnPostgres,
    OwnValkey,
    postgres_bin_or_skip,
)

pytestmark = pytest.mark.faults

ATTEMPTS = 1000
EXAMS = 10
SPREAD_SECONDS = 0.9  # first to last deadline
START_BUDGET_SECONDS = 30.0  # to start 1,000 attempts (12 s on a busy 2-core machine)
NETWORK_GRACE_SECONDS = 0.5
STARTING_AT_ONCE = 40


@dataclass
class SweeperProcess:
    """`hourglass sweep` (the loop) as its own process group."""

    environment: dict[str, str]
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="hg-sweeper-")))
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [str(Path(sys.executable).parent / "hourglass"), "sweep",
                   "--data-dir", str(self.root)]  # fmt: skip
        with (self.root / "sweep.log").open("ab") as log:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **self.environment},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def expired(self) -> int:
        """Attempts this sweeper expired, from its log's one line per pass that expired some."""
        text = (self.root / "sweep.log").read_text(errors="replace")
        return sum(int(count) for count in re.findall(r": (\d+) expired,", text))

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
            self.process = None
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class Deployment:
    postgres: OwnPostgres
    apis: list[ApiProcess]
    sweepers: list[SweeperProcess]


@pytest.fixture(scope="module")
def deployment() -> Iterator[Deployment]:
    bin_dir = postgres_bin_or_skip()
    postgres, valkey = OwnPostgres(bin_dir), OwnValkey()
    apis: list[ApiProcess] = []
    sweepers: list[SweeperProcess] = []
    try:
        postgres.init()
        valkey.start()
        environment = {
            "HOURGLASS_DATABASE_URL": postgres.url,
            "HOURGLASS_REDIS_URL": valkey.url,
            "HOURGLASS_JWT_SECRET": SECRET,
            "HOURGLASS_NETWORK_GRACE_SECONDS": str(NETWORK_GRACE_SECONDS),
            "HOURGLASS_SWEEPER_ENABLED": "false",
            "HOURGLASS_LOG_LEVEL": "warning",
        }
        apis = [ApiProcess(environment) for _ in range(2)]
        sweepers = [SweeperProcess(environment) for _ in range(2)]
        for process in [*apis, *sweepers]:
            process.start()  # each `serve` and `sweep` migrates first, under the lock
        yield Deployment(postgres, apis, sweepers)
    finally:
        for process in [*apis, *sweepers]:
            process.stop()
        for api in apis:
            shutil.rmtree(api.log_path.parent, ignore_errors=True)
        valkey.remove()
        postgres.remove()


async def _start_all(deployment: Deployment, first_deadline: datetime) -> list[str]:
    """ATTEMPTS attempts over EXAMS exams closing 0.1 s apart, started through both APIs."""
    # Idle connections are dropped before uvicorn's 5 s keep-alive ends: reusing one the
    # server is closing fails the request (a ReadError seen here once on a busy machine).
    limits = httpx.Limits(keepalive_expiry=2.0)
    clients = [
        httpx.AsyncClient(base_url=api.base_url, timeout=30.0, limits=limits)
        for api in deployment.apis
    ]
    try:
        exam_ids = []
        for n in range(EXAMS):
            closes = first_deadline + timedelta(seconds=SPREAD_SECONDS * n / (EXAMS - 1))
            body = {**exam_body(3600), "closes_at": closes.isoformat()}
            created = await clients[n % 2].post("/api/v1/exams", json=body, headers=ADMIN)
            assert created.status_code == 201, created.text
            exam_ids.append(created.json()["id"])
        per_batch = ATTEMPTS // STARTING_AT_ONCE
        batches = await asyncio.gather(
            *(
                start_attempts(clients[n % 2], exam_ids[n % EXAMS], per_batch)
                for n in range(STARTING_AT_ONCE)
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    return [entry.split("|")[0] for batch in batches for entry in batch]


async def _expiries(database_url: str, ids: list[str], within: float) -> list[asyncpg.Record]:
    """Per attempt: its expired events and the lag of the first past deadline + grace."""
    query = """
        SELECT a.id, a.status,
               count(e.id) AS expired_events,
               EXTRACT(EPOCH FROM min(e.at) - a.deadline) AS late
        FROM attempts a
        LEFT JOIN attempt_events e ON e.attempt_id = a.id AND e.kind = 'expired'
        WHERE a.id = ANY($1::uuid[])
        GROUP BY a.id
    """
    give_up = time.monotonic() + within
    connection = await asyncpg.connect(database_url)
    try:
        while True:
            rows = list(await connection.fetch(query, ids))
            if all(row["expired_events"] for row in rows) or time.monotonic() > give_up:
                return rows
            await asyncio.sleep(0.5)
    finally:
        await connection.close()


async def test_two_sweepers_expire_a_thousand_attempts_once_each(deployment: Deployment) -> None:
    began = datetime.now(UTC)
    first_deadline = began + timedelta(seconds=START_BUDGET_SECONDS)
    ids = await _start_all(deployment, first_deadline)
    started_in = (datetime.now(UTC) - began).total_seconds()
    assert len(set(ids)) == ATTEMPTS
    assert started_in < START_BUDGET_SECONDS, f"starting took {started_in:.1f} s"

    wait = (first_deadline - datetime.now(UTC)).total_seconds() + SPREAD_SECONDS
    rows = await _expiries(deployment.postgres.url, ids, within=wait + 15.0)

    lags = sorted(
        float(row["late"]) - NETWORK_GRACE_SECONDS for row in rows if row["late"] is not None
    )
    # A sweeper logs its pass after the commit that this test already saw: let it write.
    for _ in range(20):
        by_sweeper = [sweeper.expired() for sweeper in deployment.sweepers]
        if sum(by_sweeper) >= ATTEMPTS:
            break
        await asyncio.sleep(0.25)
    cuts = statistics.quantiles(lags, n=100) if len(lags) > 1 else lags * 99
    print(
        f"\n[2 API + 2 sweepers] {ATTEMPTS} attempts started in {started_in:.1f} s, due within"
        f" {SPREAD_SECONDS} s: expired {len(lags)}, lag after deadline + grace p50"
        f" {cuts[49]:.3f} s, p90 {cuts[89]:.3f} s, p99 {cuts[98]:.3f} s, max {lags[-1]:.3f} s;"
        f" expired by each sweeper (its log) {by_sweeper}"
    )
    assert {row["status"] for row in rows} == {"expired"}
    assert [row["expired_events"] for row in rows] == [1] * ATTEMPTS  # exactly once each
    assert lags[0] >= 0  # never before its time
    assert lags[-1] < 1.0, lags[-10:]
