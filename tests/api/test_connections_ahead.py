"""`serve` opens the answer path's database connections while it starts, not on first use."""

from __future__ import annotations

import asyncio

from litestar.testing import AsyncTestClient

from infrastructure.postgres.answer_connections import AnswerConnections
from presentation.bootstrap.app import create_app
from tests.api.conftest import ClockProvider, TravellingClock, api_settings
from tests.backend import Backend


async def test_the_answer_connections_are_open_before_the_first_request(
    backend: Backend, clock: TravellingClock
) -> None:
    app = create_app(
        api_settings(backend, answer_pool_size=3, answer_pool_open_at_start=True),
        ClockProvider(clock),
    )
    async with AsyncTestClient(app=app):
        connections = await app.state.dishka_container.get(AnswerConnections)
        for _ in range(200):  # opened in the background: a few round trips
            if connections.opened == 3:
                break
            await asyncio.sleep(0.025)
        assert connections.opened == 3
    assert connections.opened == 0  # closed with the app


async def test_turned_off_they_open_on_first_use(backend: Backend, clock: TravellingClock) -> None:
    app = create_app(api_settings(backend, answer_pool_open_at_start=False), ClockProvider(clock))
    async with AsyncTestClient(app=app) as client:
        assert (await client.get("/health/live")).status_code == 200
        await asyncio.sleep(0.2)
        connections = await app.state.dishka_container.get(AnswerConnections)
        assert connections.opened == 0
