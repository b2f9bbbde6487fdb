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
from application.webhooks.dispatcher import WebhookDispatcher
from application.webhooks.registration import WebhookAdministration
from domain.platform_events import PlatformEventType
from presentation.bootstrap.units import unit_of_work

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


async def _seed(database_url: str, count: int) -> None:
    """`count` events of count/4 attempts in the outbox, in one go, as changes write them:
    the dispatcher fans them out to deliveries, and that is timed too."""
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(
            """
            INSERT INTO webhook_events (type, subject_id, data)
            SELECT 'attempt.started', md5((n / $2)::text)::uuid,
                   jsonb_build_object('attempt', jsonb_build_object('n', n))
            FROM generate_series(0, $1 - 1) AS n ORDER BY n
            """,
            count,
            EVENTS_PER_ATTEMPT,
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
    container: AsyncContainer, database_url: str, receiver_base: str, count: int
) -> DeliveryRun:
    await _ready(receiver_base)
    async with unit_of_work(container) as request:
        administration = await request.get(WebhookAdministration)
        registered = await administration.register(
            ADMIN, f"{receiver_base}/hooks", [PlatformEventType.ATTEMPT_STARTED]
        )
    await _seed(database_url, count)
    dispatcher = await container.get(WebhookDispatcher)
    began = time.perf_counter()
    task = asyncio.create_task(dispatcher.run())
    while await _pending(database_url):  # noqa: ASYNC110 (the database says when all are done)
        await asyncio.sleep(0.05)
    seconds = time.perf_counter() - began
    dispatcher.stop()
    await task
    received, distinct = await _received(receiver_base)
    async with unit_of_work(container) as request:
        await (await request.get(WebhookAdministration)).remove(ADMIN, registered.webhook.id)
    return DeliveryRun(count, seconds, received, distinct)
