"""Faults under a save load, on servers of our own: nothing acknowledged may be lost.

Each scenario saves answers from 20 candidates for a few seconds while one server fails
and comes back, then compares the acknowledged saves (attempt, version) with the answer
events PostgreSQL holds, counts 5xx responses, and measures the expiry lag of attempts
whose deadline + grace fell inside the fault. The figures are printed (`pytest -s`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest

from tests.faults.conftest import NETWORK_GRACE_SECONDS, Stack
from tests.faults.load import (
    ADMIN,
    Tally,
    exam_body,
    expiry_lags,
    save_load,
    start_attempts,
    stored_saves,
)

pytestmark = pytest.mark.faults

CANDIDATES = 20
MAX_SAVES = 6000
FAULT_AT = 2.0
AFTER_FAULT = 3.0  # seconds of load once the server is back
FAULT_SECONDS = 4.0
PROBES = 4
PROBE_DURATION = 3.0  # deadline + grace at 4 s: inside the fault
LATE_PROBE_DURATION = 9.0  # at 10 s: after the fault, for a server restarted empty
SWEEP_INTERVAL = 0.25  # the default of HOURGLASS_SWEEP_INTERVAL_SECONDS


async def _run(stack: Stack, name: str, fault: Callable[[], Awaitable[None]]) -> Result:
    async with httpx.AsyncClient(base_url=stack.api.base_url, timeout=5.0) as client:
        saves = await client.post("/api/v1/exams", json=exam_body(600), headers=ADMIN)
        attempts = await start_attempts(client, saves.json()["id"], CANDIDATES)
        probe_ids = await _probes(client, PROBE_DURATION)
        late_probe_ids = await _probes(client, LATE_PROBE_DURATION)
        began = time.monotonic()
        stop = asyncio.Event()
        load = asyncio.create_task(save_load(client, attempts, stop, MAX_SAVES))
        await asyncio.sleep(FAULT_AT)
        fault_started = time.monotonic()
        await fault()
        fault_ended = time.monotonic()
        await asyncio.sleep(AFTER_FAULT)
        stop.set()
        tally = await load
    attempt_ids = [entry.split("|")[0] for entry in attempts]
    stored = await stored_saves(stack.postgres.url, attempt_ids)
    lags = await expiry_lags(stack.postgres.url, probe_ids, NETWORK_GRACE_SECONDS, within=15.0)
    late = await expiry_lags(stack.postgres.url, late_probe_ids, NETWORK_GRACE_SECONDS, 15.0)
    result = Result(name, tally, stored, lags, fault_started - began, fault_ended - began, began)
    result.late_lags = late
    print(result.figures())
    return result


async def _probes(client: httpx.AsyncClient, duration: float) -> list[str]:
    """Attempts of an exam of `duration` seconds that nobody answers: they must expire."""
    exam = await client.post("/api/v1/exams", json=exam_body(duration), headers=ADMIN)
    assert exam.status_code == 201, exam.text
    return [
        entry.split("|")[0] for entry in await start_attempts(client, exam.json()["id"], PROBES)
    ]


class Result:
    def __init__(
        self,
        name: str,
        tally: Tally,
        stored: set[tuple[str, int]],
        lags: list[float],
        fault_from: float,
        fault_to: float,
        began: float,
    ) -> None:
        self.name, self.tally, self.stored, self.lags = name, tally, stored, lags
        self.fault_from, self.fault_to, self.began = fault_from, fault_to, began
        self.lost = tally.acknowledged - stored
        self.late_lags: list[float] = []  # of attempts overdue after the fault
        # Saves went on after the fault: the service came back on its own.
        self.recovered = tally.last_acknowledged_at - began > fault_to

    def server_errors(self) -> list[tuple[float, int, str | None]]:
        """Each 5xx as (seconds since the load began, status, Retry-After)."""
        return [(at - self.began, status, retry) for at, status, retry in self.tally.server_errors]

    def figures(self) -> str:
        lags = ", ".join(f"{lag:.2f}" for lag in sorted(self.lags))
        return (
            f"\n[{self.name}] fault {self.fault_from:.1f}-{self.fault_to:.1f} s:"
            f" acknowledged {len(self.tally.acknowledged)}, stored {len(self.stored)},"
            f" lost {len(self.lost)}, stored without acknowledgement"
            f" {len(self.stored - self.tally.acknowledged)}, no answer {self.tally.no_answer},"
            f" statuses {dict(sorted(self.tally.statuses.items()))},"
            f" 5xx {len(self.tally.server_errors)}, expiry lag s [{lags}] of {PROBES},"
            f" after the fault [{', '.join(f'{lag:.2f}' for lag in sorted(self.late_lags))}]"
        )


async def test_kill_9_of_the_api_loses_no_acknowledged_answer(stack: Stack) -> None:
    async def fault() -> None:
        await asyncio.to_thread(stack.api.kill)
        await asyncio.to_thread(stack.api.start)  # as a supervisor would, at once

    result = await _run(stack, "kill -9 API", fault)
    assert not result.lost
    assert len(result.tally.acknowledged) > 100
    assert result.recovered
    assert not result.server_errors()
    assert len(result.lags) == PROBES  # expired after the restart, lag printed above


async def test_redis_killed_and_restarted_empty(stack: Stack) -> None:
    async def fault() -> None:
        await asyncio.to_thread(stack.valkey.kill)
        await asyncio.sleep(FAULT_SECONDS)
        await asyncio.to_thread(stack.valkey.start)

    result = await _run(stack, "Redis killed, restarted empty", fault)
    assert not result.lost
    assert result.stored == result.tally.acknowledged  # nothing in doubt without a crash
    assert len(result.tally.acknowledged) > 100
    assert result.recovered
    assert not result.server_errors()
    assert result.tally.no_answer == 0
    # Overdue while Redis was down: the sweeper reconciled from PostgreSQL every pass.
    assert len(result.lags) == PROBES
    assert all(0 <= lag < 1.0 for lag in result.lags), result.lags
    # Overdue after the restart: their index entries went with the old Redis, and the
    # sweeper put them back from PostgreSQL once Redis answered again (docs/operations.md,
    # "Failure behaviour"), so the index finds them, not the 5 s reconciliation.
    assert len(result.late_lags) == PROBES
    bound = 1.0 + SWEEP_INTERVAL
    assert all(0 <= lag < bound for lag in result.late_lags), result.late_lags


async def test_postgres_stopped_and_started(stack: Stack) -> None:
    async def fault() -> None:
        await asyncio.to_thread(stack.postgres.stop)
        await asyncio.sleep(FAULT_SECONDS)
        await asyncio.to_thread(stack.postgres.start)

    result = await _run(stack, "PostgreSQL stopped, started", fault)
    assert not result.lost  # no false acknowledgement
    assert len(result.tally.acknowledged) > 100
    assert result.recovered
    errors = result.server_errors()
    assert errors, "requests during the outage must be refused"
    assert {status for _, status, _ in errors} == {503}
    assert all(retry is not None for _, _, retry in errors)
    # Only while PostgreSQL was down (a request in flight when it came back may still be
    # refused by a connection the pool had not yet replaced: one second of slack).
    assert all(result.fault_from <= at <= result.fault_to + 1.0 for at, _, _ in errors), errors
    assert len(result.lags) == PROBES  # expired once PostgreSQL was back
