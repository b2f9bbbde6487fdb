"""On a 3+3 Valkey Cluster: a primary killed under save load, and a thousand deadlines at
once with two API processes and two sweepers. Figures are printed (`pytest -s`)."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import asyncpg
import httpx
import pytest

from tests.faults.cluster_stack import NETWORK_GRACE_SECONDS, ClusterStack, cluster_stack
from tests.faults.load import ADMIN, exam_body, expiry_lags, save_load, start_attempts, stored_saves

pytestmark = pytest.mark.faults

CANDIDATES = 20
MAX_SAVES = 4000
FAULT_AT = 2.0
AFTER_FAULT = 4.0
PROBES = 4
PROBE_DURATION = 4.0  # deadline + grace at 5 s: during or right after the failover
DUE_AT_ONCE = 1000


@pytest.fixture(scope="module")
def stack() -> Iterator[ClusterStack]:
    with cluster_stack(apis=2, sweepers=2) as started:
        yield started


def _fallbacks(metrics: str) -> float:
    """hourglass_redis_fallbacks_total summed over its paths."""
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in metrics.splitlines()
        if line.startswith("hourglass_redis_fallbacks_total")
    )


def _breaker_open(metrics: str) -> bool:
    found = re.search(r"^hourglass_redis_breaker_open (\S+)$", metrics, re.MULTILINE)
    return found is not None and float(found.group(1)) != 0


async def test_a_primary_killed_under_save_load(stack: ClusterStack) -> None:
    api = stack.apis[0]
    async with httpx.AsyncClient(base_url=api.base_url, timeout=5.0) as client:
        exam = await client.post("/api/v1/exams", json=exam_body(600), headers=ADMIN)
        attempts = await start_attempts(client, exam.json()["id"], CANDIDATES)
        probe_exam = await client.post(
            "/api/v1/exams", json=exam_body(PROBE_DURATION), headers=ADMIN
        )
        probes = [
            entry.split("|")[0]
            for entry in await start_attempts(client, probe_exam.json()["id"], PROBES)
        ]
        began = time.monotonic()
        stop = asyncio.Event()
        load = asyncio.create_task(save_load(client, attempts, stop, MAX_SAVES))
        await asyncio.sleep(FAULT_AT)
        victim = stack.cluster.primaries()[0]
        replicas = stack.cluster.replicas_of(victim)
        killed_at = time.monotonic()
        await asyncio.to_thread(stack.cluster.kill, victim)
        await asyncio.to_thread(stack.cluster.wait_promoted, replicas)
        healed_at = time.monotonic()
        await asyncio.sleep(AFTER_FAULT)
        # Hot state back in use: no fallback and a closed breaker over two seconds of saves.
        before = (await client.get("/metrics")).text
        await asyncio.sleep(2.0)
        after = (await client.get("/metrics")).text
        stop.set()
        tally = await load
    window = healed_at - killed_at
    attempt_ids = [entry.split("|")[0] for entry in attempts]
    stored = await stored_saves(stack.postgres.url, attempt_ids)
    lags = await expiry_lags(stack.postgres.url, probes, NETWORK_GRACE_SECONDS, within=15.0)
    errors = [(at - began, status) for at, status, _ in tally.server_errors]
    print(
        f"\n[cluster primary kill -9] failover window {window:.2f} s"
        f" (killed at {killed_at - began:.1f} s), acknowledged {len(tally.acknowledged)},"
        f" stored {len(stored)}, lost {len(tally.acknowledged - stored)},"
        f" statuses {dict(sorted(tally.statuses.items()))}, 5xx {errors},"
        f" expiry lag s {sorted(round(lag, 2) for lag in lags)}"
    )
    assert not tally.acknowledged - stored
    assert len(tally.acknowledged) > 100
    assert tally.last_acknowledged_at > healed_at  # saves went on after the failover
    # Redis holds copies only: a 5xx, if any, falls inside the failover window.
    assert all(killed_at - began <= at <= healed_at - began + 1.0 for at, _ in errors), errors
    assert len(lags) == PROBES  # every deadline still enforced
    sweep_log = stack.sweepers[0].log_path.read_text(errors="replace")[-3000:]
    if not all(0 <= lag < 6.0 for lag in lags):
        print(sweep_log)
    assert all(0 <= lag < 6.0 for lag in lags), lags  # within a reconciliation
    assert not _breaker_open(after)
    assert _fallbacks(after) == _fallbacks(before)


async def test_a_thousand_deadlines_at_once_expire_exactly_once(stack: ClusterStack) -> None:
    """Two exams closing 0.9 s apart: 1,000 attempts due within one second, shared out
    over both API processes; both sweepers race for them."""
    closes = datetime.now(UTC) + timedelta(seconds=40)
    exam_ids = []
    async with httpx.AsyncClient(base_url=stack.apis[0].base_url, timeout=10.0) as admin:
        for offset in (0.0, 0.9):
            closes_at = (closes + timedelta(seconds=offset)).isoformat()
            body = {**exam_body(3600), "closes_at": closes_at}
            created = await admin.post("/api/v1/exams", json=body, headers=ADMIN)
            assert created.status_code == 201, created.text
            exam_ids.append(created.json()["id"])
    clients = [httpx.AsyncClient(base_url=api.base_url, timeout=10.0) for api in stack.apis]
    try:
        per_client = DUE_AT_ONCE // (len(clients) * len(exam_ids))
        batches = await asyncio.gather(
            *(
                start_attempts(client, exam_id, per_client)
                for client in clients
                for exam_id in exam_ids
            )
        )
    finally:
        for client in clients:
            await client.aclose()
    started = [entry.split("|")[0] for batch in batches for entry in batch]
    assert len(started) == DUE_AT_ONCE
    assert datetime.now(UTC) < closes, "starting took longer than the exams stay open"
    wait = (closes - datetime.now(UTC)).total_seconds() + NETWORK_GRACE_SECONDS
    lags = await expiry_lags(stack.postgres.url, started, NETWORK_GRACE_SECONDS, within=wait + 20)
    connection = await asyncpg.connect(stack.postgres.url)
    try:
        expired_events = await connection.fetch(
            "SELECT attempt_id, count(*) AS n FROM attempt_events"
            " WHERE kind = 'expired' AND attempt_id = ANY($1::uuid[]) GROUP BY attempt_id",
            started,
        )
    finally:
        await connection.close()
    print(
        f"\n[{DUE_AT_ONCE} due within 1 s, 2 API + 2 sweepers on the cluster]"
        f" expired {len(lags)}, lag s min {min(lags, default=0):.2f}"
        f" max {max(lags, default=0):.2f}"
    )
    assert len(expired_events) == DUE_AT_ONCE
    assert {row["n"] for row in expired_events} == {1}  # exactly once each
    # Expired by the sweepers from the deadline index, not by a reconciliation pass seconds
    # later. The one-second target itself is bench/expiry's (p99 0.3–0.45 s on a quiet
    # machine): here six Valkey nodes, two APIs and two sweepers share two cores with the
    # rest of CI, and one batch took 1.12 s in a clean-clone run.
    assert all(0 <= lag < 2.0 for lag in lags), sorted(lags)[-5:]
