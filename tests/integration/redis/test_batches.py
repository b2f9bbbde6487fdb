"""The sweeper's clean-up of a whole batch: tombstones and announcements in one round trip."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import redis.asyncio

from application.ports import AttemptUpdate, UpdateKind
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.hot_state import RedisHotStateStore
from infrastructure.redis.live_updates import RedisLiveUpdates
from tests.backend import Backend
from tests.integration.redis.attempts import attempt_key, start


async def test_forget_all_leaves_tombstones_that_refuse_stale_puts(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    batch = [start() for _ in range(4)]
    for attempt in batch:
        await store.put(attempt)
    await store.forget_all([attempt.id for attempt in batch])
    for attempt in batch:
        assert await store.get(attempt.id) is None
        assert 0 < await client.pttl(attempt_key(backend.key_prefix, attempt)) <= 60_000
        await store.put(attempt.with_version(attempt.version + 1))  # a late put
        assert await store.get(attempt.id) is None


async def test_publish_all_reaches_every_watcher(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    live = RedisLiveUpdates(client, prefix=backend.key_prefix, guard=RedisGuard())
    batch = [start() for _ in range(3)]
    try:
        async with (
            live.watch(batch[0].id) as first,
            live.watch(batch[2].id) as third,
        ):
            await subscribed(first, third)
            await live.publish_all(
                [
                    AttemptUpdate(attempt_id=a.id, kind=UpdateKind.STATUS, reason="expired")
                    for a in batch
                ]
            )
            heard = await asyncio.wait_for(asyncio.gather(anext(first), anext(third)), timeout=5)
    finally:
        await live.close()
    assert [update.attempt_id for update in heard] == [batch[0].id, batch[2].id]
    assert {update.reason for update in heard} == {"expired"}


async def test_forget_all_of_one_attempt_leaves_its_tombstone(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start()
    await store.put(attempt)
    await store.forget_all([attempt.id])  # a submit's clean-up: one command, no pipeline
    assert await store.get(attempt.id) is None
    assert 0 < await client.pttl(attempt_key(backend.key_prefix, attempt)) <= 60_000
    await store.put(attempt.with_version(attempt.version + 1))
    assert await store.get(attempt.id) is None


async def test_one_update_published_on_the_shared_commands_reaches_its_watcher(
    client: redis.asyncio.Redis, backend: Backend, commands: RedisCommands
) -> None:
    live = RedisLiveUpdates(
        client, prefix=backend.key_prefix, guard=RedisGuard(), commands=commands
    )
    attempt = start()
    try:
        async with live.watch(attempt.id) as watching:
            await subscribed(watching)
            update = AttemptUpdate(
                attempt_id=attempt.id, kind=UpdateKind.STATUS, reason="submitted"
            )
            await live.publish_all([update])
            heard = await asyncio.wait_for(anext(watching), timeout=5)
    finally:
        await live.close()
    assert heard == update


async def test_publish_all_of_many_reaches_the_watcher_of_each(
    client: redis.asyncio.Redis, backend: Backend
) -> None:
    """Many updates travel several to a message; each still reaches its own watcher."""
    live = RedisLiveUpdates(client, prefix=backend.key_prefix, guard=RedisGuard())
    batch = [start() for _ in range(600)]
    try:
        async with live.watch(batch[0].id) as first, live.watch(batch[-1].id) as last:
            await subscribed(first, last)
            await live.publish_all(
                [
                    AttemptUpdate(
                        attempt_id=a.id, kind=UpdateKind.DEADLINE_CHANGED, reason="paused"
                    )
                    for a in batch
                ]
            )
            heard = await asyncio.wait_for(asyncio.gather(anext(first), anext(last)), timeout=5)
    finally:
        await live.close()
    assert [update.attempt_id for update in heard] == [batch[0].id, batch[-1].id]
    assert {update.kind for update in heard} == {UpdateKind.DEADLINE_CHANGED}


async def subscribed(*watchers: AsyncIterator[AttemptUpdate]) -> None:
    """The subscription is made by a background task; its confirmation tells every
    watcher to resync (they may have missed updates until then)."""
    for watcher in watchers:
        assert (await asyncio.wait_for(anext(watcher), timeout=5)).kind is UpdateKind.RESYNC
