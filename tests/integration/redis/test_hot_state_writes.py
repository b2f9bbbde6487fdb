"""RedisHotStateStore writes: key names, expiry, versions, forgetting."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio
from redis.crc import key_slot

from domain.result import AttemptStatus
from infrastructure.redis import RedisHotStateStore, RedisKeys
from infrastructure.redis.keys import attempt_tag
from tests.backend import Backend
from tests.integration.redis.attempts import (
    MARGIN,
    NETWORK_GRACE,
    assert_same_hot_state,
    attempt_key,
    make_exam,
    now,
    start,
)

pytestmark = pytest.mark.integration

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def test_key_carries_the_attempt_hash_tag(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start()
    await store.put(attempt)
    key = attempt_key(backend.key_prefix, attempt)
    assert await client.exists(key) == 1
    keys = RedisKeys(backend.key_prefix)
    related = [keys.attempt(attempt.id), keys.adaptive(attempt.id)]
    assert keys.attempt(attempt.id) == key
    assert key == f"{backend.key_prefix}:a:{{{attempt_tag(attempt.id)}}}"
    assert {key_slot(k.encode()) for k in related} == {key_slot(attempt_tag(attempt.id).encode())}


async def test_key_expires_a_margin_after_the_attempt_finalises(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(make_exam(grace=timedelta(seconds=30)))
    await store.put(attempt)
    key = attempt_key(backend.key_prefix, attempt)
    expected = attempt.timer.finalises_at(NETWORK_GRACE) + MARGIN
    expected_ms = -(-(expected - _EPOCH) // timedelta(milliseconds=1))
    assert await client.pexpiretime(key) == expected_ms
    # The clock is read before Redis counts the TTL down, so a slow reply cannot fail this.
    asked_at_ms = int(now().timestamp() * 1000)
    remaining_ms = await client.pttl(key)
    assert 0 < remaining_ms <= expected_ms - asked_at_ms + 1


async def test_paused_attempt_gets_a_long_relative_ttl(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start()
    attempt.pause(reason="proctor", now=now())
    await store.put(attempt)
    remaining = timedelta(milliseconds=await client.pttl(attempt_key(backend.key_prefix, attempt)))
    assert timedelta(hours=24) - timedelta(minutes=1) < remaining <= timedelta(hours=24)


async def test_overdue_attempt_is_not_kept(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(at=now() - timedelta(hours=2))
    await store.put(attempt)
    assert await client.exists(attempt_key(backend.key_prefix, attempt)) == 0
    assert await store.get(attempt.id) is None


async def test_lower_version_never_overwrites_a_higher_one(store: RedisHotStateStore) -> None:
    newer = start()
    newer.extend(timedelta(minutes=5), reason="one", now=now())
    newer.extend(timedelta(minutes=5), reason="two", now=now())
    older = newer.with_version(1)
    await store.put(newer)
    await store.put(older)
    assert_same_hot_state(await store.get(newer.id), newer)


async def test_equal_or_higher_version_overwrites(store: RedisHotStateStore) -> None:
    attempt = start()
    await store.put(attempt)
    attempt.timer = attempt.timer.extend(timedelta(minutes=1))  # same version, new timer
    await store.put(attempt)
    assert_same_hot_state(await store.get(attempt.id), attempt)
    attempt.extend(timedelta(minutes=1), reason="higher", now=now())
    await store.put(attempt)
    assert_same_hot_state(await store.get(attempt.id), attempt)


async def test_concurrent_puts_keep_the_highest_version(store: RedisHotStateStore) -> None:
    attempt = start()
    versions = list(range(30))
    random.shuffle(versions)
    await asyncio.gather(*(store.put(attempt.with_version(v)) for v in versions))
    restored = await store.get(attempt.id)
    assert restored is not None
    assert restored.version == 29


async def test_forget_leaves_a_short_tombstone_that_refuses_stale_puts(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start()
    await store.put(attempt)
    await store.forget(attempt.id)
    key = attempt_key(backend.key_prefix, attempt)
    assert await store.get(attempt.id) is None
    assert 0 < await client.pttl(key) <= 60_000
    # A request that read the attempt in progress before it became final puts it back late.
    await store.put(attempt.with_version(attempt.version + 1))
    assert await store.get(attempt.id) is None
    await store.forget(attempt.id)  # forgetting twice is fine


async def test_final_attempt_is_not_stored(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    exam = make_exam()
    attempt = start(exam)
    await store.put(attempt)
    attempt.submit(exam, now())
    assert attempt.status is AttemptStatus.SUBMITTED
    await store.put(attempt)
    assert await store.get(attempt.id) is None  # only the final tombstone is left
    assert 0 < await client.pttl(attempt_key(backend.key_prefix, attempt)) <= 60_000


async def test_every_attempt_key_has_a_ttl(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    paused = start()
    paused.pause(reason="proctor", now=now())
    for attempt in (start(), paused, start(make_exam(closes_at=now() + timedelta(minutes=1)))):
        await store.put(attempt)
    keys = [key async for key in client.scan_iter(match=f"{backend.key_prefix}:a:*")]
    assert len(keys) >= 3
    assert all(ttl > 0 for ttl in [await client.pttl(key) for key in keys])
