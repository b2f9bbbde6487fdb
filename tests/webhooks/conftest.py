"""The service with webhooks allowed to 127.0.0.1, retries compressed to fractions of a
second, and dispatchers the tests start and stop themselves."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from dishka import make_async_container
from litestar import Litestar
from litestar.testing import AsyncTestClient

from application.webhooks.dispatcher import WebhookDispatcher
from infrastructure.settings import Settings
from presentation.bootstrap.app import create_app
from presentation.bootstrap.providers import default_providers
from tests.api.conftest import ADMIN, ClockProvider, TravellingClock, api_settings
from tests.backend import Backend
from tests.webhooks.receiver import Receiver

Client = AsyncTestClient[Litestar]

FAST = {
    "webhook_allowed_hosts": "127.0.0.1, localhost",
    "webhook_backoff_base_seconds": 0.05,
    "webhook_backoff_cap_seconds": 0.2,
    "webhook_timeout_seconds": 1.0,
    "webhook_poll_interval_seconds": 0.05,
    "rate_limit_writes_per_second": 0,
}


def webhook_settings(backend: Backend, **overrides: Any) -> Settings:
    return api_settings(backend, **{**FAST, **overrides})


@pytest.fixture(scope="session")
def clock() -> TravellingClock:
    return TravellingClock()


@pytest.fixture(autouse=True)
def _clock_back_to_now(clock: TravellingClock) -> None:
    clock.offset = timedelta(0)


@pytest.fixture(scope="session")
def webhook_app(backend: Backend, clock: TravellingClock) -> Litestar:
    return create_app(webhook_settings(backend), ClockProvider(clock))


@pytest.fixture(scope="session")
async def webhook_client(webhook_app: Litestar) -> AsyncIterator[Client]:
    async with AsyncTestClient(app=webhook_app) as test_client:
        yield test_client


@pytest.fixture
async def client(webhook_client: Client, backend: Backend) -> AsyncIterator[Client]:
    """The client; every webhook a test registered is removed after it, with its
    deliveries, so the next test's dispatchers see only their own."""
    yield webhook_client
    connection = await asyncpg.connect(backend.database_url)
    try:
        await connection.execute("DELETE FROM webhook_deliveries")
        await connection.execute("DELETE FROM webhooks")
    finally:
        await connection.close()


@contextlib.asynccontextmanager
async def dispatching(
    backend: Backend, count: int = 1, **overrides: Any
) -> AsyncIterator[list[WebhookDispatcher]]:
    """`count` dispatchers running as `serve` runs one, each with its own container."""
    settings = webhook_settings(backend, **overrides)
    containers = [
        make_async_container(*default_providers(), context={Settings: settings})
        for _ in range(count)
    ]
    dispatchers = [await container.get(WebhookDispatcher) for container in containers]
    tasks = [asyncio.create_task(dispatcher.run()) for dispatcher in dispatchers]
    try:
        yield dispatchers
    finally:
        for dispatcher in dispatchers:
            dispatcher.stop()
        await asyncio.gather(*tasks)
        for container in containers:
            await container.close()


async def dispatch_once(backend: Backend, **overrides: Any) -> int:
    """One dispatcher pass (`hourglass dispatch --once`): the outbox's new events fanned
    out to deliveries, and what is due sent; how many were sent."""
    settings = webhook_settings(backend, **overrides)
    container = make_async_container(*default_providers(), context={Settings: settings})
    try:
        return await (await container.get(WebhookDispatcher)).run_once()
    finally:
        await container.close()


@contextlib.asynccontextmanager
async def receiving(**options: Any) -> AsyncIterator[Receiver]:
    receiver = Receiver(**options)
    await receiver.start()
    try:
        yield receiver
    finally:
        await receiver.stop()


async def register(client: Client, url: str, events: list[str] | None = None) -> dict[str, Any]:
    body = {"url": url, "events": events or ALL_EVENTS}
    response = await client.post("/api/v1/webhooks", json=body, headers=ADMIN)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def deliveries(client: Client, webhook_id: str) -> list[dict[str, Any]]:
    response = await client.get(f"/api/v1/webhooks/{webhook_id}/deliveries", headers=ADMIN)
    assert response.status_code == 200, response.text
    return list(response.json())


ALL_EVENTS = [
    "attempt.started",
    "attempt.submitted",
    "attempt.expired",
    "attempt.time_changed",
    "attempt.paused",
    "attempt.resumed",
    "exam.created",
]
