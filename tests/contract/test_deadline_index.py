"""DeadlineIndex: attempts due at or before a time, earliest first, to the millisecond and
never early; schedules move, removals stick, outages are swallowed."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from application.ports import DeadlineIndex
from infrastructure.batched_deadline_index import BatchedDeadlineIndex
from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import RedisGuard
from tests.contract.conftest import SIDES
from tests.fakes import InMemoryDeadlineIndex

T0 = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
MS = timedelta(milliseconds=1)
SECOND = timedelta(seconds=1)


@pytest.fixture(params=[*SIDES, pytest.param("real, batched", marks=pytest.mark.integration)])
def index(request: pytest.FixtureRequest) -> DeadlineIndex:
    """An empty index: the real one under a key prefix of this test's own. The service
    holds new entries a moment to write them together; it must keep the contract too."""
    if request.param == "fake":
        return InMemoryDeadlineIndex()
    real = RedisDeadlineIndex(
        request.getfixturevalue("redis_client"),
        prefix=request.getfixturevalue("redis_prefix"),
        guard=RedisGuard(),
    )
    if request.param == "real":
        return real
    return BatchedDeadlineIndex(real)


@pytest.fixture(params=SIDES)
def unreachable(request: pytest.FixtureRequest) -> DeadlineIndex:
    if request.param == "fake":
        index = InMemoryDeadlineIndex()
        index.down = True
        return index
    client = request.getfixturevalue("unreachable_redis")
    return RedisDeadlineIndex(client, prefix="hgcontract", guard=RedisGuard())


async def test_due_attempts_come_earliest_first_up_to_the_limit(index: DeadlineIndex) -> None:
    ids = [uuid4() for _ in range(40)]
    at = {attempt_id: T0 + n * SECOND for n, attempt_id in enumerate(ids)}
    for attempt_id in random.sample(ids, len(ids)):
        await index.schedule(attempt_id, at[attempt_id])

    assert await index.size() == 40
    assert await index.due(T0 - MS, 100) == []
    assert await index.due(T0, 100) == ids[:1]  # at its finalisation time, not after
    assert await index.due(T0 + 9 * SECOND, 100) == ids[:10]
    assert await index.due(T0 + 9 * SECOND, 4) == ids[:4]
    assert await index.due(T0 + timedelta(hours=1), 100) == ids


async def test_an_attempt_is_never_due_before_its_time_to_the_millisecond(
    index: DeadlineIndex,
) -> None:
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0 + timedelta(microseconds=300))
    assert await index.due(T0 + timedelta(microseconds=300), 10) == []
    assert await index.due(T0 + MS - timedelta(microseconds=1), 10) == []
    assert await index.due(T0 + MS, 10) == [attempt_id]


async def test_attempts_due_in_one_millisecond_come_in_id_order(index: DeadlineIndex) -> None:
    low, high = UUID(int=(1 << 120) + 7), UUID(int=(15 << 120) + 7)
    await index.schedule(high, T0 + timedelta(microseconds=100))
    await index.schedule(low, T0 + timedelta(microseconds=900))
    assert await index.due(T0 + MS, 10) == [low, high]
    assert await index.due(T0 + MS, 1) == [low]


async def test_scheduling_again_moves_the_attempt(index: DeadlineIndex) -> None:
    attempt_id, other = uuid4(), uuid4()
    await index.schedule(other, T0 + 5 * SECOND)
    await index.schedule(attempt_id, T0)
    await index.schedule(attempt_id, T0 + 10 * SECOND)  # extended

    assert await index.size() == 2
    assert await index.due(T0 + 9 * SECOND, 10) == [other]
    assert await index.due(T0 + 10 * SECOND, 10) == [other, attempt_id]

    await index.schedule(attempt_id, T0 + SECOND)  # an extension taken back
    assert await index.due(T0 + 5 * SECOND, 10) == [attempt_id, other]
    assert await index.size() == 2


async def test_unschedule_removes_the_named_attempts_only(index: DeadlineIndex) -> None:
    ids = [uuid4() for _ in range(6)]
    for n, attempt_id in enumerate(ids):
        await index.schedule(attempt_id, T0 + n * SECOND)

    # Any iterable, unknown ids among them; an empty one is a no-op.
    await index.unschedule(attempt_id for attempt_id in [ids[0], ids[3], uuid4()])
    await index.unschedule([])

    assert await index.size() == 4
    assert await index.due(T0 + timedelta(hours=1), 10) == [ids[1], ids[2], ids[4], ids[5]]
    await index.unschedule(ids)
    assert await index.size() == 0
    assert await index.due(T0 + timedelta(hours=1), 10) == []


@pytest.mark.parametrize("limit", [0, -1])
async def test_a_limit_below_one_finds_nothing(index: DeadlineIndex, limit: int) -> None:
    await index.schedule(uuid4(), T0)
    assert await index.due(T0 + SECOND, limit) == []


async def test_an_unreachable_index_finds_nothing_and_swallows_writes(
    unreachable: DeadlineIndex,
) -> None:
    attempt_id = uuid4()
    await unreachable.schedule(attempt_id, T0)
    await unreachable.unschedule([attempt_id])
    assert await unreachable.due(T0 + SECOND, 10) == []
    assert await unreachable.size() == 0


async def test_schedule_all_adds_and_moves_a_batch_like_schedule(index: DeadlineIndex) -> None:
    ids = [uuid4() for _ in range(300)]
    await index.schedule_all([(attempt_id, T0 + i * MS) for i, attempt_id in enumerate(ids)])
    assert await index.due(T0 + 299 * MS, 1000) == ids
    # Moved later as a batch: none of them is due any more, the first is again later on.
    await index.schedule_all([(attempt_id, T0 + SECOND) for attempt_id in ids[:150]])
    assert await index.due(T0 + 299 * MS, 1000) == ids[150:]
    assert await index.size() == 300
    await index.schedule_all([])
