"""A deadline index that lost its entries (Redis restarted empty) is refilled from
PostgreSQL by the sweeper, with each attempt's own finalisation time."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import redis.asyncio as redis
from dishka import make_async_container
from litestar import Litestar
from litestar.testing import AsyncTestClient

from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import RedisGuard
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers
from presentation.bootstrap.sweeper import SweeperLoop
from tests.api.conftest import (
    ADMIN,
    ClockProvider,
    TravellingClock,
    api_settings,
    create_exam,
    start,
)
from tests.backend import Backend

Client = AsyncTestClient[Litestar]
EXAM_GRACE = timedelta(seconds=5)  # exam_body's grace, above the network grace of 2 s


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


async def _drop_deadline_index(connection: redis.Redis, prefix: str) -> None:
    keys = [key async for key in connection.scan_iter(match=f"{prefix}:deadlines:*")]
    for key in keys:  # one at a time: on a cluster the keys live in different slots
        await connection.delete(key)


async def test_the_sweeper_refills_a_lost_index(
    client: Client, backend: Backend, clock: TravellingClock
) -> None:
    exam = await create_exam(client)
    attempts = [
        (await start(client, exam["id"], f"refill-{uuid.uuid4().hex[:8]}")).json() for _ in range(3)
    ]
    ids = {uuid.UUID(attempt["id"]) for attempt in attempts}
    finalising = sorted(_at(attempt["deadline"]) + EXAM_GRACE for attempt in attempts)
    # Built as the service builds it, so the test runs on a cluster too.
    connection = await backend.redis_client()
    index = RedisDeadlineIndex(
        connection, prefix=backend.key_prefix, guard=RedisGuard(), commands=AutoPipeline(connection)
    )
    settings: Settings = api_settings(backend)
    container = make_async_container(
        *default_providers(), ClockProvider(clock), context={Settings: settings}
    )
    try:
        # The starts' deadline entries are written with the service's next batch: the
        # stats count the index's entries, which writes what is held first, so no batch
        # lands after the drop below.
        assert (await client.get("/api/v1/admin/stats", headers=ADMIN)).status_code == 200
        await _drop_deadline_index(connection, backend.key_prefix)
        assert not ids & set(await index.due(finalising[-1] + timedelta(days=1), limit=100_000))

        scheduled = await SweeperLoop(container, settings).refill_index()

        assert scheduled >= len(ids)  # with other tests' attempts in progress
        # The response's deadline has whole milliseconds, the stored one microseconds.
        late = finalising[-1] + timedelta(milliseconds=1)
        assert ids <= set(await index.due(late, limit=100_000))
        early = finalising[0] - timedelta(milliseconds=1)
        assert not ids & set(await index.due(early, limit=100_000))
        # Idempotent: a second refill moves nothing and adds nothing.
        size = await index.size()
        await SweeperLoop(container, settings).refill_index()
        assert await index.size() == size
    finally:
        await container.close()
        await connection.aclose()
