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
    [b"garbage", b"3:\xc1\xc1", b"3:\x00\x01\x02", b"-1:\x00", b"3:" + b"\xff" * 40],
    ids=["no-version", "unknown-flags", "truncated", "negative-version", "noise"],
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
    # 2 of version, 1 of flags, 16 of exam id, 8 of start, 3 of duration and grace, and
    # the 14 of "candidate-0042"; an extension adds 1 to 3.
    assert value_bytes <= 47
    assert memory is not None
    # Key, value and dict entry (MEMORY USAGE leaves the expiry entry out): 136 bytes on
    # Redis 7.0 and 128 on Valkey 8 with the tests' 16-character prefix, give or take a
    # size class (Valkey's libc malloc may hand out a chunk a little larger than asked).
    assert memory <= 160
