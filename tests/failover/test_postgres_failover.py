"""PostgreSQL fails over under a save load: nothing acknowledged is lost, no restart needed.

A primary and a synchronous standby of our own, `hourglass serve` pointed at both through
a multi-host URL with `target_session_attrs=read-write`. Under a save load the primary is
stopped with `pg_ctl stop -m immediate` (as a crash would), the standby is promoted a
little later (as an operator or a failover manager would), and the API must find the new
primary by itself. The seconds without service are printed (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest

from tests.failover.replication import Primary, ReplicatedPostgres, Standby
from tests.faults.load import (
    ADMIN,
    SECRET,
    exam_body,
    headers,
    save_load,
    start_attempts,
    stored_saves,
)
from tests.faults.servers import ApiProcess, OwnValkey, postgres_bin_or_skip

pytestmark = pytest.mark.faults

CANDIDATES = 20
MAX_SAVES = 8000
CRASH_AT = 2.0
PROMOTE_AFTER = 2.0  # seconds with no primary at all: every write must be refused
AFTER_PROMOTION = 5.0
MONITOR_INTERVAL = 0.1
# From the promotion to the first acknowledged save. A pooled connection that died with
# the primary fails its one statement (503) and is replaced by a connection to the new
# primary; nothing waits for a timer, so this is about the API's own reaction time.
RESUME_WITHIN = 3.0


@dataclass
class Failover:
    replicated: ReplicatedPostgres
    api: ApiProcess


@pytest.fixture(scope="module")
def failover() -> Iterator[Failover]:
    bin_dir = postgres_bin_or_skip()
    primary, standby, valkey = Primary(bin_dir), Standby(bin_dir), OwnValkey()
    api: ApiProcess | None = None
    try:
        primary.init()
        standby.init_from(primary)
        asyncio.run(primary.require_synchronous_standby())
        valkey.start()
        replicated = ReplicatedPostgres(primary, standby)
        api = ApiProcess(
            {
                "HOURGLASS_DATABASE_URL": replicated.url,
                "HOURGLASS_REDIS_URL": valkey.url,
                "HOURGLASS_JWT_SECRET": SECRET,
                "HOURGLASS_LOG_LEVEL": "warning",
            }
        )
        api.start()
        yield Failover(replicated, api)
    finally:
        if api is not None:
            api.stop()
            shutil.rmtree(api.log_path.parent, ignore_errors=True)
        valkey.remove()
        standby.remove()
        primary.remove()


@dataclass
class Monitor:
    """One candidate saving every MONITOR_INTERVAL: when was the service there?"""

    attempt: str
    acknowledged_at: list[float] = field(default_factory=list)
    refused: dict[int, int] = field(default_factory=dict)

    async def run(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        attempt_id, subject = self.attempt.split("|")
        auth, turn = headers(subject), 0
        while not stop.is_set():
            turn += 1
            url = f"/api/v1/attempts/{attempt_id}/answers/q{turn % 5 + 1}"
            try:
                response = await client.put(url, json={"option": "AB"[turn % 2]}, headers=auth)
            except httpx.TransportError:
                response = None
            if response is not None and response.is_success:
                self.acknowledged_at.append(time.monotonic())
            elif response is not None:
                self.refused[response.status_code] = self.refused.get(response.status_code, 0) + 1
            await asyncio.sleep(MONITOR_INTERVAL)

    def longest_gap(self) -> float:
        times = self.acknowledged_at
        return max((b - a for a, b in itertools.pairwise(times)), default=0.0)


async def test_primary_crash_and_promotion_lose_no_acknowledged_answer(
    failover: Failover,
) -> None:
    replicated, api = failover.replicated, failover.api
    async with httpx.AsyncClient(base_url=api.base_url, timeout=5.0) as client:
        exam = await client.post("/api/v1/exams", json=exam_body(600), headers=ADMIN)
        assert exam.status_code == 201, exam.text
        attempts = await start_attempts(client, exam.json()["id"], CANDIDATES + 1)
        monitor = Monitor(attempts.pop())
        stop = asyncio.Event()
        began = time.monotonic()
        load = asyncio.create_task(save_load(client, attempts, stop, MAX_SAVES))
        watch = asyncio.create_task(monitor.run(client, stop))
        await asyncio.sleep(CRASH_AT)
        crashed = time.monotonic()
        await asyncio.to_thread(replicated.primary.crash)
        await asyncio.sleep(PROMOTE_AFTER)
        await asyncio.to_thread(replicated.standby.promote)
        promoted = time.monotonic()
        await asyncio.sleep(AFTER_PROMOTION)
        stop.set()
        tally = await load
        await watch

    ids = [entry.split("|")[0] for entry in attempts]
    stored = await stored_saves(replicated.standby.url, ids)
    lost = tally.acknowledged - stored
    resumed = min((at for at in monitor.acknowledged_at if at > promoted), default=None)
    errors = [(at - began, status, retry) for at, status, retry in tally.server_errors]
    print(
        f"\n[PostgreSQL failover] crash at {crashed - began:.1f} s, promoted at"
        f" {promoted - began:.1f} s: acknowledged {len(tally.acknowledged)}, stored"
        f" {len(stored)}, lost {len(lost)}, statuses {dict(sorted(tally.statuses.items()))},"
        f" no answer {tally.no_answer}; seconds without service {monitor.longest_gap():.2f}"
        f" (of which {PROMOTE_AFTER:.1f} s before the promotion), resumed"
        f" {(resumed - promoted) if resumed else float('nan'):.2f} s after the promotion"
    )
    assert not lost, sorted(lost)[:5]
    assert len(tally.acknowledged) > 100
    assert resumed is not None, api.log_tail()
    assert resumed - promoted < RESUME_WITHIN
    assert tally.last_acknowledged_at > promoted  # the whole load came back, not one client
    assert errors, "writes without a primary must be refused"
    assert {status for _, status, _ in errors} == {503}, errors
    assert all(retry is not None for _, _, retry in errors)
    # Only between the crash and shortly after the promotion.
    window = (crashed - began, promoted - began + RESUME_WITHIN)
    assert all(window[0] <= at <= window[1] for at, _, _ in errors), (window, errors)
