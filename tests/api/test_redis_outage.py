"""Redis is a cache: with it gone, every acknowledged write is still in PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from presentation.bootstrap.app import create_app
from tests.api.conftest import (
    ClockProvider,
    TravellingClock,
    api_settings,
    auth,
    create_exam,
    start,
)
from tests.backend import Backend

Client = AsyncTestClient[Litestar]


@pytest.fixture(scope="module")
async def redisless(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    app = create_app(api_settings(backend, redis_url="redis://127.0.0.1:1/0"), ClockProvider(clock))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


async def test_everything_works_from_postgres_without_redis(
    client: Client, redisless: Client
) -> None:
    exam = await create_exam(client)
    candidate = "outage-candidate"
    started = await start(client, exam["id"], candidate)  # hot state written while Redis is up
    attempt_id, headers = started.json()["id"], auth(candidate)
    base = f"/api/v1/attempts/{attempt_id}"

    saved = await redisless.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    assert saved.status_code == 200
    conflict = await redisless.put(
        f"{base}/answers/q2", json={"option": "A", "expected_version": 0}, headers=headers
    )
    assert conflict.status_code == 409
    assert conflict.json()["current_version"] == 1
    remaining = await redisless.get(f"{base}/remaining", headers=headers)
    assert remaining.status_code == 200
    assert remaining.json()["status"] == "in_progress"
    assert (await redisless.get(f"{base}/questions", headers=headers)).status_code == 200
    ready = await redisless.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["services"] == {"postgres": True, "redis": False}

    # The healthy process, whose Redis still has the attempt at version 0, sees version 1.
    seen = await client.put(
        f"{base}/answers/q2", json={"option": "A", "expected_version": 1}, headers=headers
    )
    assert seen.status_code == 200
    assert seen.json()["version"] == 2

    submitted = await redisless.post(f"{base}/submit", headers=headers)
    assert submitted.status_code == 200
    assert submitted.json()["score"] == 3
    read = (await client.get(base, headers=headers)).json()
    assert read["status"] == "submitted"
    assert read["answers"] == {"q1": "B", "q2": "A"}


async def test_a_redisless_process_starts_attempts(redisless: Client, client: Client) -> None:
    exam = await create_exam(client)
    started = await start(redisless, exam["id"], "outage-starter")
    assert started.status_code == 201
    resumed = await start(redisless, exam["id"], "outage-starter")
    assert resumed.status_code == 200
    assert resumed.json()["id"] == started.json()["id"]


async def test_flushed_hot_state_is_rebuilt(client: Client, backend: Backend) -> None:
    exam = await create_exam(client)
    started = await start(client, exam["id"], "flush-candidate")
    base, headers = f"/api/v1/attempts/{started.json()['id']}", auth("flush-candidate")
    await client.put(f"{base}/answers/q1", json={"option": "B"}, headers=headers)
    connection = await backend.redis_client()
    try:
        keys = [key async for key in connection.scan_iter(match=f"{backend.key_prefix}*")]
        if keys:
            await connection.delete(*keys)
    finally:
        await connection.aclose()
    remaining = await client.get(f"{base}/remaining", headers=headers)
    assert remaining.status_code == 200
    assert remaining.json()["deadline"] == started.json()["deadline"]
    saved = await client.put(
        f"{base}/answers/q2", json={"option": "A", "expected_version": 1}, headers=headers
    )
    assert saved.json()["version"] == 2
