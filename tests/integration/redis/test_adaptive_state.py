"""RedisAdaptiveStateStore: key, stored bytes, versions, expiry (the port's contract,
outages included, is tests/contract/test_adaptive_state.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import redis.asyncio

from domain.adaptive.state import AdaptiveState
from domain.attempt import Attempt
from domain.exam import ExamMode
from infrastructure.redis.adaptive_codec import encode_state
from infrastructure.redis.adaptive_state import RedisAdaptiveStateStore
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys, attempt_tag
from tests.backend import Backend
from tests.integration.redis.attempts import (
    MARGIN,
    NETWORK_GRACE,
    engine_state_after,
    make_exam,
    start,
)

pytestmark = pytest.mark.integration

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EXAM = make_exam(mode=ExamMode.ADAPTIVE)


@pytest.fixture
def cat_store(
    client: redis.asyncio.Redis, backend: Backend, commands: RedisCommands
) -> RedisAdaptiveStateStore:
    return RedisAdaptiveStateStore(
        client,
        prefix=backend.key_prefix,
        network_grace=NETWORK_GRACE,
        guard=RedisGuard(),
        expiry_margin=MARGIN,
        commands=commands,
    )


def state_after(attempt: Attempt, answers: int) -> AdaptiveState:
    return engine_state_after(EXAM, attempt, answers)


def key(backend: Backend, attempt: Attempt) -> str:
    return RedisKeys(backend.key_prefix).adaptive(attempt.id)


async def test_round_trip_under_the_attempts_hash_tag(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(EXAM)
    state = state_after(attempt, 2)
    await cat_store.put(attempt.with_version(2), state)
    assert await cat_store.get(attempt.id) == state
    raw = await client.get(key(backend, attempt))
    assert raw == b"2:" + encode_state(state)
    assert key(backend, attempt) == f"{backend.key_prefix}:cat:{{{attempt_tag(attempt.id)}}}"


async def test_a_tombstone_left_in_the_key_is_not_overwritten(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    # The put script is shared with the hot state, whose final attempts leave one.
    attempt = start(EXAM)
    await client.set(key(backend, attempt), b"F", ex=60)
    await cat_store.put(attempt.with_version(3), state_after(attempt, 1))
    assert await client.get(key(backend, attempt)) == b"F"


async def test_expires_a_margin_after_the_attempt_would_be_final(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(EXAM)
    await cat_store.put(attempt, state_after(attempt, 0))
    expected = attempt.timer.finalises_at(NETWORK_GRACE) + MARGIN
    expected_ms = -(-(expected - _EPOCH) // timedelta(milliseconds=1))
    assert await client.pexpiretime(key(backend, attempt)) == expected_ms
    attempt.pause(reason="alarm", now=attempt.timer.started_at)
    await cat_store.put(attempt, state_after(attempt, 0))
    ttl = await client.pttl(key(backend, attempt))
    assert timedelta(hours=23) < timedelta(milliseconds=ttl) <= timedelta(hours=24)


async def test_forget_and_final_attempts_leave_nothing(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(EXAM)
    await cat_store.put(attempt, state_after(attempt, 1))
    await cat_store.forget(attempt.id)
    assert await cat_store.get(attempt.id) is None
    attempt.submit(EXAM, attempt.timer.started_at)
    await cat_store.put(attempt, state_after(attempt, 1))
    assert await client.exists(key(backend, attempt)) == 0


@pytest.mark.parametrize("value", [b"garbage", b"0:garbage"])
async def test_an_unreadable_value_is_a_miss(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend, value: bytes
) -> None:
    attempt = start(EXAM)
    await client.set(key(backend, attempt), value, ex=60)
    assert await cat_store.get(attempt.id) is None
    state = state_after(attempt, 1)
    await cat_store.put(attempt, state)  # the replayed state replaces what could not be read
    assert await cat_store.get(attempt.id) == state


async def test_no_option_key_or_parameter_is_stored(
    cat_store: RedisAdaptiveStateStore, client: redis.asyncio.Redis, backend: Backend
) -> None:
    attempt = start(EXAM)
    await cat_store.put(attempt.with_version(3), state_after(attempt, 3))
    raw = await client.get(key(backend, attempt))
    assert raw is not None
    for question in EXAM.questions:
        assert question.id.encode() not in raw
        assert question.stem.encode() not in raw
    assert len(raw) < 64
