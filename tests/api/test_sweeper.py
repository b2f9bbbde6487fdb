"""The background sweeper on real PostgreSQL and Redis, in real time (seconds, not minutes)."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

from dishka import make_async_container
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.sweeper import SweeperLoop
from tests.api.conftest import (
    ADMIN,
    ClockProvider,
    TravellingClock,
    api_settings,
    auth,
    create_exam,
    start,
)
from tests.backend import Backend

Client = AsyncTestClient[Litestar]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@contextlib.asynccontextmanager
async def sweeping(
    backend: Backend, clock: TravellingClock, **settings: Any
) -> AsyncIterator[None]:
    """A sweeper loop as `serve` runs it, with its own DI container."""
    values = {"sweep_interval_seconds": 0.1, "reconcile_interval_seconds": 0.5, **settings}
    configured: Settings = api_settings(backend, **values)
    container = make_async_container(
        *default_providers(), ClockProvider(clock), context={Settings: configured}
    )
    loop = SweeperLoop(container, configured)
    loop.start()
    try:
        yield
    finally:
        await loop.stop()
        await container.close()


async def _expired_event(client: Client, attempt_id: str, within: float) -> dict[str, Any]:
    """Poll the audit trail (which never expires anything itself) for the expiry."""
    waited = 0.0
    while waited < within:
        events = (await client.get(f"/api/v1/attempts/{attempt_id}/events", headers=ADMIN)).json()
        for event in events:
            if event["kind"] == "expired":
                return dict(event)
        await asyncio.sleep(0.05)
        waited += 0.05
    raise AssertionError(f"attempt {attempt_id} was not expired within {within} s")


async def _one_second_attempt(client: Client, exam_id: str) -> tuple[dict[str, Any], str]:
    candidate = f"sw-{uuid.uuid4().hex[:8]}"
    attempt = (await start(client, exam_id, candidate)).json()
    saved = await client.put(
        f"/api/v1/attempts/{attempt['id']}/answers/q1",
        json={"option": "B"},
        headers=auth(candidate),
    )
    assert saved.status_code == 200
    return attempt, candidate


async def test_an_attempt_is_expired_within_a_second_of_its_deadline(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await create_exam(client, duration_seconds=1, grace_seconds=0)
    async with sweeping(backend, clock, network_grace_seconds=0):
        attempt, _ = await _one_second_attempt(client, exam["id"])
        expired = await _expired_event(client, attempt["id"], within=5)
    lag = (_at(expired["at"]) - _at(attempt["deadline"])).total_seconds()
    assert 0 <= lag < 1.0, lag
    result = (await client.get(f"/api/v1/attempts/{attempt['id']}", headers=ADMIN)).json()["result"]
    assert (result["status"], result["score"], result["answered"]) == ("expired", 2, 1)
    assert _at(result["expired_at"]) == _at(attempt["deadline"])
    assert result["time_taken_seconds"] == 1


async def test_an_attempt_redis_forgot_is_expired_by_reconciliation(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await create_exam(client, duration_seconds=1, grace_seconds=0)
    attempt, _ = await _one_second_attempt(client, exam["id"])
    connection = await backend.redis_client()
    try:  # everything of this run in Redis is gone: hot state and the deadline index
        keys = [key async for key in connection.scan_iter(match=f"{backend.key_prefix}*")]
        await connection.delete(*keys)
    finally:
        await connection.aclose()
    async with sweeping(backend, clock, network_grace_seconds=0):
        expired = await _expired_event(client, attempt["id"], within=5)
    assert expired["data"]["score"] == 2


async def test_two_sweepers_finalise_each_attempt_exactly_once(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await create_exam(client, duration_seconds=1, grace_seconds=0, max_attempts=1)
    attempts = [await _one_second_attempt(client, exam["id"]) for _ in range(30)]
    async with (
        sweeping(backend, clock, network_grace_seconds=0),
        sweeping(backend, clock, network_grace_seconds=0, sweep_batch_size=7),
    ):
        for attempt, _ in attempts:
            await _expired_event(client, attempt["id"], within=10)
        await asyncio.sleep(0.5)  # let both loops run more passes over the same rows
    for attempt, _ in attempts:
        events = (
            await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)
        ).json()
        assert [e["kind"] for e in events].count("expired") == 1


async def test_a_paused_attempt_is_not_swept_until_its_window_closes(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await create_exam(client, duration_seconds=1, grace_seconds=0)
    attempt, candidate = await _one_second_attempt(client, exam["id"])
    paused = await client.post(
        f"/api/v1/attempts/{attempt['id']}/pause", json={"reason": "x"}, headers=ADMIN
    )
    assert paused.status_code == 200
    async with sweeping(backend, clock, network_grace_seconds=0):
        await asyncio.sleep(1.5)
    remaining = (
        await client.get(f"/api/v1/attempts/{attempt['id']}/remaining", headers=auth(candidate))
    ).json()
    assert (remaining["status"], remaining["paused"]) == ("in_progress", True)
    assert remaining["remaining_seconds"] > 0
    assert timedelta(seconds=remaining["remaining_seconds"]) <= timedelta(seconds=1)
