"""Live updates after a gap in the subscription: a message published while this process's
pub/sub connection was down is lost, so every local watcher is told to re-read at once."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from uuid import uuid4

import pytest
import redis.asyncio
from redis.asyncio.cluster import RedisCluster

from application.ports import AttemptUpdate, UpdateKind
from application.use_cases.watch_attempt import AttemptTick, WatchSettings
from domain.result import AttemptStatus
from infrastructure.redis import create_redis
from infrastructure.redis.breaker import CircuitBreaker
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.live_updates import RedisLiveUpdates
from infrastructure.redis.topology import check_topology
from tests.backend import Backend
from tests.fakes import FakeLiveUpdates
from tests.fakes.builders import make_exam, query, wire

# The subscriber's connection is killed (and a breaker opened) on purpose.
pytestmark = pytest.mark.redis_outage

HEARING = 5.0  # seconds a resync may take: redis-py reconnects at its next read
HOUR = timedelta(hours=1)  # a heartbeat that never comes within a test


@pytest.fixture
async def named_client(backend: Backend) -> AsyncIterator[tuple[redis.asyncio.Redis, str]]:
    """A client whose connections carry a name of this test's own, so its pub/sub
    connection can be found and killed without touching anyone else's."""
    name = f"hgresync{uuid4().hex[:8]}"
    separator = "&" if "?" in backend.redis_url else "?"
    client = create_redis(
        f"{backend.redis_url}{separator}client_name={name}",
        timeout_seconds=0.5,
        cluster=backend.redis_cluster,
    )
    await check_topology(client)  # as the service starts its client (the slot map, first)
    yield client, name
    await client.aclose()


@pytest.fixture
def prefix(backend: Backend) -> str:
    """A key prefix (and so a live channel) of this test's own."""
    return f"{backend.key_prefix}r{uuid4().hex[:8]}"


@pytest.fixture
async def live(
    named_client: tuple[redis.asyncio.Redis, str], prefix: str
) -> AsyncIterator[RedisLiveUpdates]:
    client, _ = named_client
    updates = RedisLiveUpdates(client, prefix=prefix, guard=RedisGuard())
    await _listening(updates)
    yield updates
    await updates.close()


async def _listening(updates: RedisLiveUpdates) -> None:
    listening = asyncio.Event()
    updates.on_listening(lambda now_listening: listening.set() if now_listening else None)
    await asyncio.wait_for(listening.wait(), HEARING)


async def kill_subscriber(client: redis.asyncio.Redis, name: str) -> None:
    """CLIENT KILL the named client's pub/sub connection, on whichever node holds it."""
    if isinstance(client, RedisCluster):
        by_node = await client.client_list(target_nodes=RedisCluster.ALL_NODES)
        listed = [
            (client.get_node(node_name=node), entry)
            for node, entries in by_node.items()
            for entry in entries
        ]
    else:
        listed = [(None, entry) for entry in await client.client_list()]
    subscribers = [
        (node, entry["id"])
        for node, entry in listed
        if entry["name"] == name and int(entry.get("sub", 0)) + int(entry.get("ssub", 0)) > 0
    ]
    assert len(subscribers) == 1, listed
    [(node, client_id)] = subscribers
    if node is None:
        assert await client.client_kill_filter(_id=client_id) == 1
    else:
        await client.execute_command("CLIENT KILL", "ID", client_id, target_nodes=node)


async def heard(updates: AsyncIterator[AttemptUpdate]) -> AttemptUpdate:
    return await asyncio.wait_for(anext(updates), HEARING)


async def test_every_watcher_hears_a_resync_when_the_subscription_comes_back(
    live: RedisLiveUpdates, named_client: tuple[redis.asyncio.Redis, str]
) -> None:
    attempt_id = uuid4()
    async with live.watch(attempt_id) as mine, live.watch_every() as every:
        await kill_subscriber(*named_client)
        assert await heard(mine) == AttemptUpdate(
            attempt_id=attempt_id, kind=UpdateKind.RESYNC, reason=""
        )
        assert (await heard(every)).kind is UpdateKind.RESYNC
        # Subscribed again: updates flow as before.
        sent = AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.STATUS, reason="submitted")
        await live.publish(sent)
        assert await heard(mine) == sent


async def test_a_status_lost_while_the_subscriber_was_down_reaches_the_stream(
    live: RedisLiveUpdates, named_client: tuple[redis.asyncio.Redis, str]
) -> None:
    services = wire(live_updates=live, watch=WatchSettings(heartbeat=HOUR))  # type: ignore[arg-type]
    attempt = await services.started(await services.given_exam(make_exam()))
    ticks = await services.watch_attempt.open(query(attempt))
    assert (await anext(ticks)).kind == "remaining"
    reading = asyncio.ensure_future(_rest(ticks))
    # Another process submits; its status message never reaches this one (published while
    # the subscription was down), then the subscription is dropped and comes back.
    submitter = wire(
        clock=services.clock,
        exam_store=services.exams.store,
        attempt_store=services.attempts.store,
        hot_state=services.hot_state,
        live_updates=FakeLiveUpdates(),
    )
    result = await submitter.submit_attempt(query(attempt))
    await kill_subscriber(*named_client)
    final = await asyncio.wait_for(reading, HEARING)
    assert [(tick.kind, tick.status, tick.result) for tick in final] == [
        ("status", AttemptStatus.SUBMITTED, result)
    ]


async def test_a_dropped_publish_sends_every_process_a_resync_once_redis_answers(
    live: RedisLiveUpdates, prefix: str, named_client: tuple[redis.asyncio.Redis, str]
) -> None:
    client, _ = named_client
    breaker = CircuitBreaker(cooldown_seconds=0.2, log_every_seconds=60.0)
    publisher = RedisLiveUpdates(client, prefix=prefix, guard=RedisGuard(breaker))
    await _listening(publisher)
    attempt_id = uuid4()
    try:
        async with live.watch(attempt_id) as watcher:
            breaker.failed("test", ConnectionError("redis went away"))
            await publisher.publish(
                AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.STATUS, reason="expired")
            )  # dropped: the breaker is open
            resync = await heard(watcher)  # from the publisher, once its breaker lets it try
            assert resync == AttemptUpdate(attempt_id=attempt_id, kind=UpdateKind.RESYNC, reason="")
            assert not breaker.is_open
    finally:
        await publisher.close()


async def _rest(ticks: AsyncIterator[AttemptTick]) -> list[AttemptTick]:
    return [tick async for tick in ticks]
