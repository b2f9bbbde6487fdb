"""RedisHotStateStore reads back what it stored, and drops what it cannot read."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis.asyncio

from domain.exam import ExamMode
from infrastructure.redis import RedisHotStateStore
from tests.backend import Backend
from tests.integration.redis.attempts import (
    NETWORK_GRACE,
    assert_same_hot_state,
    attempt_key,
    make_exam,
    now,
    start,
)

pytestmark = pytest.mark.integration


async def test_round_trip_of_a_fresh_attempt(store: RedisHotStateStore) -> None:
    attempt = start()
    await store.put(attempt)
    assert_same_hot_state(await store.get(attempt.id), attempt)


async def test_round_trip_leaves_answers_out(store: RedisHotStateStore) -> None:
    exam = make_exam()
    attempt = start(exam)
    attempt.save_answer(exam.question("q1"), "b", now=now(), network_grace=NETWORK_GRACE)
    await store.put(attempt)
    restored = await store.get(attempt.id)
    assert_same_hot_state(restored, attempt)
    assert attempt.answers == {"q1": "b"}


@pytest.mark.parametrize("mode", list(ExamMode))
async def test_round_trip_of_every_timer_field(store: RedisHotStateStore, mode: ExamMode) -> None:
    closes_at = now() + timedelta(hours=3, microseconds=7)
    exam = make_exam(mode=mode, grace=timedelta(seconds=12, microseconds=345), closes_at=closes_at)
    attempt = start(exam, time_multiplier=1.25, extra_time=timedelta(minutes=10, microseconds=1))
    attempt.extend(timedelta(seconds=90.5), reason="fire alarm", now=now())
    attempt.pause(reason="proctor", now=now())
    attempt.unpause(now())
    attempt.pause(reason="proctor again", now=now())
    assert attempt.timer.paused_for > timedelta(0)
    assert attempt.timer.paused_at is not None
    await store.put(attempt)
    assert_same_hot_state(await store.get(attempt.id), attempt)


@pytest.mark.parametrize(
    "payload",
    [b"garbage", b"3:\xc1\xc1", b"3:\x92\x01\x02", b"-1:\x90", b"3:" + b"\xff" * 40],
    ids=["no-version", "bad-msgpack", "wrong-shape", "negative-version", "noise"],
)
async def test_corrupt_payload_is_a_miss_and_is_dropped(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend, payload: bytes
) -> None:
    attempt = start()
    key = attempt_key(backend.key_prefix, attempt)
    await client.set(key, payload, ex=60)
    assert await store.get(attempt.id) is None
    assert await client.exists(key) == 0
    await store.put(attempt)  # and a put replaces whatever was there
    assert_same_hot_state(await store.get(attempt.id), attempt)


@pytest.mark.parametrize("extended", [False, True], ids=["fresh", "extended"])
async def test_memory_per_attempt(
    store: RedisHotStateStore, client: redis.asyncio.Redis, backend: Backend, extended: bool
) -> None:
    attempt = start()
    if extended:
        attempt.extend(timedelta(minutes=2), reason="typical", now=now())
    await store.put(attempt)
    key = attempt_key(backend.key_prefix, attempt)
    value_bytes = await client.strlen(key)
    memory = await client.memory_usage(key, samples=0)
    print(f"\nhot state per attempt: value {value_bytes} B, MEMORY USAGE {memory} B ({key!r})")
    assert value_bytes < 80
    assert memory is not None
    # Key, value, dict entry and expiry entry together; the value is a third of it.
    assert memory < 256
