"""HotStateStore: a lossy copy of attempts in progress that round-trips status, timer and
version, never lowers a version, forgets final attempts for good, expires with the attempt,
and swallows outages."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
import redis.asyncio

from application.ports import HotStateStore
from domain.exam import ExamMode
from infrastructure.clock import SystemClock
from infrastructure.local_hot_state import LocallyCachedHotState
from infrastructure.redis import RedisHotStateStore
from tests.contract.conftest import SIDES
from tests.fakes.hot_state import (
    EXPIRY_MARGIN,
    NETWORK_GRACE,
    PAUSED_TTL,
    InMemoryHotStateStore,
)
from tests.integration.redis.attempts import assert_same_hot_state, make_exam, now, start

HOUR = timedelta(hours=1)


def redis_store(client: redis.asyncio.Redis, prefix: str) -> RedisHotStateStore:
    return RedisHotStateStore(
        client,
        prefix=prefix,
        network_grace=NETWORK_GRACE,
        expiry_margin=EXPIRY_MARGIN,
        paused_ttl=PAUSED_TTL,
    )


@pytest.fixture(
    params=[*SIDES, pytest.param("real, locally cached", marks=pytest.mark.integration)]
)
def hot_state(request: pytest.FixtureRequest) -> HotStateStore:
    """Keys expire at absolute times, so the fake runs on real time too. The service puts a
    per-process copy in front of Redis; it must keep the contract as well."""
    if request.param == "fake":
        return InMemoryHotStateStore(clock=SystemClock())
    store = redis_store(
        request.getfixturevalue("redis_client"), request.getfixturevalue("redis_prefix")
    )
    if request.param == "real":
        return store
    cached = LocallyCachedHotState(store)
    cached.listening(True)  # as once the live-updates subscription is up
    return cached


@pytest.fixture(params=SIDES)
def unreachable(request: pytest.FixtureRequest) -> HotStateStore:
    if request.param == "fake":
        store = InMemoryHotStateStore()
        store.down = True
        return store
    return redis_store(request.getfixturevalue("unreachable_redis"), "hgcontract")


async def test_an_unknown_attempt_is_a_miss(hot_state: HotStateStore) -> None:
    assert await hot_state.get(start().id) is None


@pytest.mark.parametrize("mode", list(ExamMode))
async def test_an_attempt_comes_back_with_its_timer_but_without_answers(
    hot_state: HotStateStore, mode: ExamMode
) -> None:
    exam = make_exam(mode=mode, grace=timedelta(seconds=12, microseconds=345))
    attempt = start(exam, time_multiplier=1.5, extra_time=timedelta(minutes=10, microseconds=1))
    if mode is ExamMode.FIXED:
        attempt.save_answer(exam.question("q1"), "b", now=now(), network_grace=NETWORK_GRACE)
    attempt.extend(timedelta(seconds=90.5), reason="fire alarm", now=now())
    attempt.pause(reason="proctor", now=now())
    attempt.unpause(now())
    await hot_state.put(attempt.with_version(7))

    assert_same_hot_state(await hot_state.get(attempt.id), attempt.with_version(7))


async def test_a_lower_version_never_replaces_a_higher_one(hot_state: HotStateStore) -> None:
    attempt = start()
    extended = replace(attempt, timer=attempt.timer.extend(timedelta(minutes=5)))
    await hot_state.put(attempt.with_version(3))
    await hot_state.put(extended.with_version(2))
    assert_same_hot_state(await hot_state.get(attempt.id), attempt.with_version(3))

    await hot_state.put(extended.with_version(3))  # the same version is a refresh
    assert_same_hot_state(await hot_state.get(attempt.id), extended.with_version(3))
    await hot_state.put(attempt.with_version(4))
    assert_same_hot_state(await hot_state.get(attempt.id), attempt.with_version(4))


async def test_a_put_says_whether_the_store_took_it(hot_state: HotStateStore) -> None:
    attempt = start()
    assert await hot_state.put(attempt.with_version(3))
    assert await hot_state.put(attempt.with_version(3))  # a refresh
    assert not await hot_state.put(attempt.with_version(2))
    await hot_state.forget(attempt.id)
    assert not await hot_state.put(attempt.with_version(4))


async def test_a_forgotten_attempt_misses_and_refuses_a_stale_put(
    hot_state: HotStateStore,
) -> None:
    attempt = start()
    await hot_state.put(attempt)
    await hot_state.forget(attempt.id)
    assert await hot_state.get(attempt.id) is None

    # A request that read the attempt before it became final puts it back, even newer.
    await hot_state.put(attempt.with_version(attempt.version + 1))
    assert await hot_state.get(attempt.id) is None


async def test_forget_all_forgets_each_attempt_named_and_no_other(
    hot_state: HotStateStore,
) -> None:
    first, second, kept = start(), start(), start()
    for attempt in (first, second, kept):
        await hot_state.put(attempt)

    await hot_state.forget_all([first.id, second.id])
    await hot_state.forget_all([])
    await hot_state.put(first)

    assert await hot_state.get(first.id) is None
    assert await hot_state.get(second.id) is None
    assert_same_hot_state(await hot_state.get(kept.id), kept)


async def test_put_all_judges_each_attempt_as_put_does(hot_state: HotStateStore) -> None:
    exam = make_exam()
    fresh, newer_held, forgotten, finished = start(exam), start(exam), start(exam), start(exam)
    extended = replace(fresh, timer=fresh.timer.extend(timedelta(minutes=5))).with_version(1)
    await hot_state.put(newer_held.with_version(5))
    await hot_state.put(forgotten)
    await hot_state.forget(forgotten.id)
    await hot_state.put(finished)
    finished.submit(exam, now())
    paused = start(exam)
    paused.pause(reason="drill", now=now())

    await hot_state.put_all(
        [extended, newer_held.with_version(4), forgotten.with_version(3), finished, paused]
    )
    await hot_state.put_all([])

    assert_same_hot_state(await hot_state.get(fresh.id), extended)
    assert_same_hot_state(await hot_state.get(newer_held.id), newer_held.with_version(5))
    assert await hot_state.get(forgotten.id) is None
    assert await hot_state.get(finished.id) is None
    assert_same_hot_state(await hot_state.get(paused.id), paused)


async def test_put_all_of_many_keeps_every_one(hot_state: HotStateStore) -> None:
    attempts = [start() for _ in range(2_500)]  # more than one pipeline's worth
    await hot_state.put_all(attempts)
    for attempt in attempts[::250]:
        assert_same_hot_state(await hot_state.get(attempt.id), attempt)


async def test_putting_a_final_attempt_forgets_it(hot_state: HotStateStore) -> None:
    exam = make_exam()
    attempt = start(exam)
    in_progress = attempt.with_version(attempt.version)
    await hot_state.put(attempt)
    attempt.submit(exam, now())

    await hot_state.put(attempt)
    assert await hot_state.get(attempt.id) is None
    await hot_state.put(in_progress)
    assert await hot_state.get(attempt.id) is None


async def test_a_copy_is_not_kept_once_the_attempt_is_long_finalised(
    hot_state: HotStateStore,
) -> None:
    # 45 minutes from two hours ago: finalised (plus the expiry margin) an hour ago.
    attempt = start(at=now() - 2 * HOUR)
    assert not await hot_state.put(attempt)
    assert await hot_state.get(attempt.id) is None


async def test_a_paused_attempt_is_kept_past_its_deadline(hot_state: HotStateStore) -> None:
    attempt = start(at=now() - 2 * HOUR)
    attempt.pause(reason="evacuation", now=now() - 2 * HOUR + timedelta(minutes=10))
    await hot_state.put(attempt)
    assert_same_hot_state(await hot_state.get(attempt.id), attempt)


async def test_stats_count_the_keys_held(hot_state: HotStateStore) -> None:
    await hot_state.put(start())
    keys = (await hot_state.stats())["keys"]
    assert isinstance(keys, int)
    assert keys >= 1  # the real server also counts every other test's keys


async def test_an_unreachable_store_misses_and_swallows_writes(
    unreachable: HotStateStore,
) -> None:
    attempt = start()
    assert not await unreachable.put(attempt)
    await unreachable.forget(attempt.id)
    await unreachable.forget_all([attempt.id])
    await unreachable.put_all([attempt])
    assert await unreachable.get(attempt.id) is None
    assert await unreachable.stats() == {}
