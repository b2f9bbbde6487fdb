"""Delivery throughput: N outbox events fanned out and delivered by one dispatcher to one
local receiver."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

import aiohttp
import asyncpg
from dishka import AsyncContainer

from application.identity import Actor, Role
from application.ports import Clock
from application.webhooks.dispatcher import WebhookDispatcher
from application.webhooks.ports import DeliveryQueue, WebhookSender
from application.webhooks.registration import WebhookAdministration
from domain.platform_events import PlatformEventType
from infrastructure.settings import Settings
from presentation.bootstrap.units import unit_of_work
from presentation.bootstrap.webhook_providers import dispatch_settings

ADMIN = Actor(user_id="bench-admin", role=Role.ADMIN)
EVENTS_PER_ATTEMPT = 4  # each attempt's deliveries go one after another, in order


@dataclass(frozen=True, slots=True)
class DeliveryRun:
    deliveries: int
    seconds: float
    received: int
    distinct: int

    @property
    def per_second(self) -> float:
        return self.deliveries / self.seconds


@contextlib.contextmanager
def receiver_process(port: int) -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.webhooks.receiver", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(10)


async def _ready(base: str, within: float = 60.0) -> None:
    deadline = time.monotonic() + within
    async with aiohttp.ClientSession() as session:
        while True:
            try:
                async with session.get(f"{base}/count") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the receiver did not start")
            await asyncio.sleep(0.1)


async def _received(base: str) -> tuple[int, int]:
    async with aiohttp.ClientSession() as session, session.get(f"{base}/count") as response:
        counted = json.loads(await response.read())
    return int(counted["count"]), int(counted["distinct"])


async def _seed(database_url: str, count: int, webhook_id: str, *, fanned_out: bool) -> None:
    """`count` events of count/4 attempts in the outbox, in one go, as changes write them:
    the dispatcher fans them out to deliveries, and that is timed too. With `fanned_out`,
    the events come with their deliveries already made (what the change itself wrote
    before the fan-out moved to the dispatcher), for the same run's comparison."""
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(
            """
            WITH event AS (
                INSERT INTO webhook_events (type, subject_id, data, fanned_out)
                SELECT 'attempt.started', md5((n / $2)::text)::uuid,
                       jsonb_build_object('attempt', jsonb_build_object('n', n)), $4
                FROM generate_series(0, $1 - 1) AS n ORDER BY n
                RETURNING id, subject_id
            )
            INSERT INTO webhook_deliveries (webhook_id, event_id, subject_id,
                                            next_attempt_at, retry_from)
            SELECT $3::uuid, id, subject_id, now(), now() FROM event WHERE $4
            """,
            count,
            EVENTS_PER_ATTEMPT,
            webhook_id,
            fanned_out,
        )
    finally:
        await connection.close()


async def _pending(database_url: str) -> int:
    """Events not yet fanned out and deliveries not yet made."""
    connection = await asyncpg.connect(database_url)
    try:
        return int(
            await connection.fetchval(
                """
                SELECT (SELECT count(*) FROM webhook_events WHERE NOT fanned_out)
                     + (SELECT count(*) FROM webhook_deliveries WHERE status = 'pending')
                """
            )
        )
    finally:
        await connection.close()


async def measure_delivery(
    container: AsyncContainer,
    database_url: str,
    receiver_base: str,
    count: int,
    *,
    fanned_out: bool = False,
) -> DeliveryRun:
    await _ready(receiver_base)
    received_before, distinct_before = await _received(receiver_base)
    async with unit_of_work(container) as request:
        administration = await request.get(WebhookAdministration)
        registered = await administration.register(
            ADMIN, f"{receiver_base}/hooks", [PlatformEventType.ATTEMPT_STARTED]
        )
    await _seed(database_url, count, str(registered.webhook.id), fanned_out=fanned_out)
    # A dispatcher of its own per measurement, as `serve` makes it (one stopped stays so).
    dispatcher = WebhookDispatcher(
        await container.get(DeliveryQueue),
        await container.get(WebhookSender),
        await container.get(Clock),
        dispatch_settings(await container.get(Settings)),
    )
    began = time.perf_counter()
    task = asyncio.create_task(dispatcher.run())
    while await _pending(database_url):  # noqa: ASYNC110 (the database says when all are done)
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - began
    dispatcher.stop()
    await task
    received, distinct = await _received(receiver_base)
    received, distinct = received - received_before, distinct - distinct_before
    async with unit_of_work(container) as request:
        await (await request.get(WebhookAdministration)).remove(ADMIN, registered.webhook.id)
    return DeliveryRun(count, seconds, received, distinct)
