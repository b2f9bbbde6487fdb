"""Degradations made visible and bounded: Redis down on /metrics, request ids, expiry."""

from __future__ import annotations

import asyncio
import logging
import re
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

import pytest
from dishka import make_async_container
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrastructure.settings import Settings
from presentation.bootstrap.app import create_app
from presentation.bootstrap.logs import RequestIdFilter
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
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(scope="module")
async def redisless(backend: Backend, clock: TravellingClock) -> AsyncIterator[Client]:
    app = create_app(api_settings(backend, redis_url=CLOSED_PORT_REDIS), ClockProvider(clock))
    async with AsyncTestClient(app=app) as test_client:
        yield test_client


def _sample(text: str, name: str, labels: str = "") -> float:
    found = re.search(rf"^{re.escape(name + labels)} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


async def test_metrics_show_the_open_breaker_and_what_fell_back(
    client: Client, redisless: Client
) -> None:
    exam = await create_exam(client)
    before = (await redisless.get("/metrics")).text
    started = await start(redisless, exam["id"], f"deg-{uuid.uuid4().hex[:8]}")
    assert started.status_code == 201
    # The start's deadline entry is written with the next batch; the stats count the
    # index's entries, which writes what is held first.
    assert (await redisless.get("/api/v1/admin/stats", headers=ADMIN)).status_code == 200
    text = (await redisless.get("/metrics")).text
    assert "# TYPE hourglass_redis_breaker_open gauge" in text
    assert _sample(text, "hourglass_redis_breaker_open") == 1
    assert _sample(text, "hourglass_redis_breaker_opened_total") >= 1
    for path in ("hot state write", "deadline index"):
        labels = f'{{path="{path}"}}'
        fell_back = _sample(text, "hourglass_redis_fallbacks_total", labels)
        assert fell_back > _sample(before, "hourglass_redis_fallbacks_total", labels), path
    assert _sample(text, "hourglass_redis_errors_total", '{error="ConnectionError"}') >= 1
    assert "# TYPE hourglass_postgres_errors_total counter" in text
    assert "# TYPE hourglass_expiry_lag_seconds histogram" not in text  # no sweeper here


async def test_a_request_id_is_echoed_or_made_and_logged(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    given = await client.get("/health/live", headers={"x-request-id": "trace-42.a"})
    assert given.headers["x-request-id"] == "trace-42.a"
    made = await client.get("/health/live")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["x-request-id"])
    forged = await client.get("/health/live", headers={"x-request-id": "x\r\nlevel=ERROR"})
    assert forged.headers["x-request-id"] != "x\r\nlevel=ERROR"
    refused = await client.get(
        f"/api/v1/attempts/{uuid.uuid4()}/remaining", headers=auth("rid-reader")
    )
    assert refused.status_code == 404
    assert refused.headers["x-request-id"]

    caplog.handler.addFilter(RequestIdFilter())
    with caplog.at_level(logging.WARNING, logger="presentation.api.problems"):
        logging.getLogger("presentation.api.problems").warning("outside a request")
    assert caplog.records[-1].request_id == "-"


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def test_expiry_stays_within_a_second_of_deadline_and_grace_while_redis_is_down(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    grace, interval = 0.5, 0.25
    settings: Settings = api_settings(
        backend,
        redis_url=CLOSED_PORT_REDIS,
        network_grace_seconds=grace,
        sweep_interval_seconds=interval,
        reconcile_interval_seconds=30.0,  # the outage, not the schedule, must bring it on
    )
    container = make_async_container(
        *default_providers(), ClockProvider(clock), context={Settings: settings}
    )
    loop = SweeperLoop(container, settings)
    exam = await create_exam(client, duration_seconds=1, grace_seconds=0)
    loop.start()
    try:
        await asyncio.sleep(1.0)  # the first pass reconciles; the next find Redis gone
        attempts = [
            (await start(client, exam["id"], f"rd-{uuid.uuid4().hex[:8]}")).json() for _ in range(3)
        ]
        lags = [await _expiry_lag(client, attempt, grace, within=10.0) for attempt in attempts]
    finally:
        await loop.stop()
        await container.close()
    # The bound the service promises, which holds with room for a pass of `interval`.
    assert all(0 <= lag < 1.0 for lag in lags), lags
    assert loop.counts.lags.counts[-1] == 0  # nothing above the histogram's last bound
    assert sum(loop.counts.lags.counts) >= len(attempts)


async def _expiry_lag(
    client: Client, attempt: dict[str, object], grace: float, within: float
) -> float:
    overdue_at = _at(str(attempt["deadline"])) + timedelta(seconds=grace)
    for _ in range(int(within / 0.05)):
        events = (
            await client.get(f"/api/v1/attempts/{attempt['id']}/events", headers=ADMIN)
        ).json()
        for event in events:
            if event["kind"] == "expired":
                return (_at(event["at"]) - overdue_at).total_seconds()
        await asyncio.sleep(0.05)
    raise AssertionError(f"attempt {attempt['id']} was not expired within {within} s")
