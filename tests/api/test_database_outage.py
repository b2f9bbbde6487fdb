"""PostgreSQL unreachable: 503 with Retry-After, never a 500 and never a false 2xx."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from presentation.bootstrap.app import create_app
from tests.api.conftest import ADMIN, ClockProvider, TravellingClock, api_settings, auth, exam_body
from tests.backend import Backend

Client = AsyncTestClient[Litestar]


@pytest.fixture(scope="module")
async def databaseless(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    settings = api_settings(backend, database_url="postgresql://postgres@127.0.0.1:1/nowhere")
    async with AsyncTestClient(app=create_app(settings, ClockProvider(clock))) as test_client:
        yield test_client


async def test_requests_that_need_postgres_get_503_with_retry_after(databaseless: Client) -> None:
    attempt = f"/api/v1/attempts/{uuid.uuid4()}"
    responses = [
        await databaseless.post("/api/v1/exams", json=exam_body(), headers=ADMIN),
        await databaseless.get("/api/v1/exams", headers=ADMIN),
        await databaseless.post(f"/api/v1/exams/{uuid.uuid4()}/attempts", headers=auth("dora")),
        await databaseless.put(f"{attempt}/answers/q1", json={"option": "A"}, headers=auth("dora")),
        await databaseless.post(f"{attempt}/submit", headers=auth("dora")),
    ]
    for response in responses:
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"]
        assert response.headers["content-type"].startswith("application/problem+json")


async def test_readiness_reports_the_database(databaseless: Client) -> None:
    ready = await databaseless.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json()["services"]["postgres"] is False
    assert (await databaseless.get("/health/live")).status_code == 200
