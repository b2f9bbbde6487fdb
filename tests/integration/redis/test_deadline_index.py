"""RedisDeadlineIndex: due attempts earliest first, moves, removals, compact sets."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest
import redis.asyncio
from redis.crc import key_slot

from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys
from tests.backend import Backend

pytestmark = pytest.mark.integration

T0 = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
MS = timedelta(milliseconds=1)


@pytest.fixture
def prefix(backend: Backend) -> str:
    """A prefix of this test's own: the index is shared by every attempt under a prefix."""
    return f"{backend.key_prefix}x{uuid4().hex[:8]}"


@pytest.fixture
def index(client: redis.asyncio.Redis, prefix: str) -> RedisDeadlineIndex:
    return RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard())


def small_index(client: redis.asyncio.Redis, prefix: str) -> RedisDeadlineIndex:
    """Two groups of sets of at most five: enough attempts to need many sets."""
    return RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard(), groups=2, shard_size=5)


async def index_keys(client: redis.asyncio.Redis, prefix: str) -> list[bytes]:
    return [key async for key in client.scan_iter(match=f"{prefix}:deadlines:*")]


async def sets_of(client: redis.asyncio.Redis, prefix: str) -> dict[bytes, int]:
    """Each sorted set of the index and its size (the count keys left out)."""
    found = {}
    for key in await index_keys(client, prefix):
        if await client.type(key) == b"zset":
            found[key] = await client.zcard(key)
    return found


async def test_due_attempts_come_earliest_first_up_to_the_limit(
    index: RedisDeadlineIndex,
) -> None:
    ids = [uuid4() for _ in range(40)]
    at = {attempt_id: T0 + timedelta(seconds=n) for n, attempt_id in enumerate(ids)}
    for attempt_id in random.sample(ids, len(ids)):
        await index.schedule(attempt_id, at[attempt_id])
    assert await index.due(T0 - MS, 100) == []
    assert await index.due(T0 + timedelta(seconds=9), 100) == ids[:10]
    assert await index.due(T0 + timedelta(seconds=9), 4) == ids[:4]
    assert await index.due(T0 + timedelta(hours=1), 100) == ids
    assert await index.size() == 40


async def test_an_attempt_is_due_from_its_finalisation_time_rounded_up_to_the_ms(
    index: RedisDeadlineIndex,
) -> None:
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0 + timedelta(microseconds=300))
    assert await index.due(T0 + timedelta(microseconds=300), 10) == []  # never early
    assert await index.due(T0 + MS, 10) == [attempt_id]


async def test_schedule_moves_an_attempt(index: RedisDeadlineIndex) -> None:
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0)
    await index.schedule(attempt_id, T0 + timedelta(minutes=10))  # extended
    assert await index.due(T0 + timedelta(minutes=5), 10) == []
    assert await index.size() == 1
    await index.schedule(attempt_id, T0 - timedelta(minutes=1))  # moved earlier
    assert await index.due(T0, 10) == [attempt_id]
    assert await index.size() == 1


async def test_unschedule_removes_and_leaves_no_key_behind(
    index: RedisDeadlineIndex, client: redis.asyncio.Redis, prefix: str
) -> None:
    ids = [uuid4() for _ in range(20)]
    for attempt_id in ids:
        await index.schedule(attempt_id, T0)
    await index.unschedule(ids[:5])
    await index.unschedule([ids[0], uuid4()])  # twice, or never scheduled: no error
    assert set(await index.due(T0, 100)) == set(ids[5:])
    await index.unschedule(ids)
    await index.unschedule([])
    assert await index.due(T0, 100) == []
    assert await index.size() == 0
    assert await index_keys(client, prefix) == []


async def test_sets_never_outgrow_their_size_and_all_stay_readable(
    client: redis.asyncio.Redis, prefix: str
) -> None:
    index = small_index(client, prefix)
    ids = [uuid4() for _ in range(53)]
    at = {attempt_id: T0 + timedelta(seconds=random.randrange(600)) for attempt_id in ids}
    for attempt_id in ids:
        await index.schedule(attempt_id, at[attempt_id])
    sizes = await sets_of(client, prefix)
    assert sum(sizes.values()) == 53
    assert max(sizes.values()) <= 5
    assert len(sizes) <= 53 // 5 + 2  # filled in order: at most one set per group not full
    expected = sorted(ids, key=lambda attempt_id: (at[attempt_id], attempt_id.bytes))
    assert await index.due(T0 + timedelta(hours=1), 100) == expected
    assert await index.due(T0 + timedelta(hours=1), 7) == expected[:7]
    assert await index.size() == 53
    # Moves stay where they are; nothing is duplicated.
    for attempt_id in ids[::3]:
        await index.schedule(attempt_id, T0 + timedelta(hours=2))
    assert sum((await sets_of(client, prefix)).values()) == 53
    assert len(await index.due(T0 + timedelta(hours=1), 100)) == 53 - len(ids[::3])


async def test_emptied_sets_are_refilled_and_trailing_ones_forgotten(
    client: redis.asyncio.Redis, prefix: str
) -> None:
    index = RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard(), groups=1, shard_size=5)
    base = RedisKeys(prefix).deadlines(0)
    ids = [uuid4() for _ in range(15)]
    for attempt_id in ids:
        await index.schedule(attempt_id, T0)
    assert await client.get(f"{base}:n") == b"3"
    await index.unschedule(ids[:5])  # the first set empties: a hole
    assert await client.exists(f"{base}:0") == 0
    assert await client.get(f"{base}:n") == b"3"
    newcomer = uuid4()
    await index.schedule(newcomer, T0)
    assert await client.zscore(f"{base}:0", newcomer.bytes) is not None
    await index.unschedule(ids[10:])  # the last set empties: the group shrinks
    assert await client.get(f"{base}:n") == b"2"
    assert set(await index.due(T0, 100)) == {newcomer, *ids[5:10]}


async def test_a_lost_count_is_healed(client: redis.asyncio.Redis, prefix: str) -> None:
    index = RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard(), groups=1, shard_size=5)
    base = RedisKeys(prefix).deadlines(0)
    ids = [uuid4() for _ in range(12)]
    for attempt_id in ids:
        await index.schedule(attempt_id, T0)
    await client.delete(f"{base}:n")
    assert set(await index.due(T0, 100)) == set(ids)
    assert await index.size() == 12
    await index.schedule(uuid4(), T0)
    assert await client.get(f"{base}:n") == b"3"


async def test_concurrent_schedules_neither_lose_nor_duplicate(
    client: redis.asyncio.Redis, prefix: str
) -> None:
    index = small_index(client, prefix)
    ids = [uuid4() for _ in range(60)]
    await asyncio.gather(*(index.schedule(attempt_id, T0) for attempt_id in ids))
    await asyncio.gather(*(index.schedule(attempt_id, T0 - MS) for attempt_id in ids[::2]))
    sizes = await sets_of(client, prefix)
    assert sum(sizes.values()) == 60
    assert max(sizes.values()) <= 5
    assert sorted(await index.due(T0, 100)) == sorted(ids)


async def test_a_group_lives_on_one_slot_and_groups_spread(
    index: RedisDeadlineIndex, client: redis.asyncio.Redis, prefix: str
) -> None:
    for _ in range(300):
        await index.schedule(uuid4(), T0)
    keys = await index_keys(client, prefix)
    by_group: dict[bytes, set[int]] = {}
    for key in keys:
        group = key.split(b"{", 1)[1].split(b"}", 1)[0]
        by_group.setdefault(group, set()).add(key_slot(key))
    assert len(by_group) == 16
    assert all(len(slots) == 1 for slots in by_group.values())
    assert len({slot for slots in by_group.values() for slot in slots}) > 1


async def test_members_are_the_id_bytes_and_scores_integer_ms(
    index: RedisDeadlineIndex, client: redis.asyncio.Redis, prefix: str
) -> None:
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0 + timedelta(microseconds=1500))
    (key,) = [key for key in await index_keys(client, prefix) if not key.endswith(b":n")]
    [(member, score)] = await client.zrange(key, 0, -1, withscores=True)
    assert UUID(bytes=member) == attempt_id
    assert score == (T0 - datetime(1970, 1, 1, tzinfo=UTC)) // MS + 2


async def test_thousands_of_attempts_stay_compact(
    index: RedisDeadlineIndex, client: redis.asyncio.Redis, prefix: str
) -> None:
    count = 3000
    ids = [uuid4() for _ in range(count)]
    for start in range(0, count, 100):
        await asyncio.gather(*(index.schedule(i, T0) for i in ids[start : start + 100]))
    keys = await index_keys(client, prefix)
    sets = [key for key in keys if not key.endswith(b":n")]
    assert {await client.object("encoding", key) for key in sets} == {b"listpack"}
    assert max([await client.zcard(key) for key in sets]) <= 127
    used = sum([await client.memory_usage(key, samples=0) or 0 for key in keys])
    print(f"\ndeadline index: {used / count:.1f} B per attempt over {len(sets)} sets")
    assert used / count < 40  # a skiplist would take about 90
    assert await index.size() == count
    assert len(await index.due(datetime(2031, 1, 1, tzinfo=UTC), 500)) == 500


async def test_one_call_can_unschedule_thousands(
    client: redis.asyncio.Redis, prefix: str, backend: Backend
) -> None:
    # One script over 9,000 members and 71 sets: more than the service's 0.5 s timeout
    # allows on a busy shared machine (a cluster adds its replicas' work on the same cores).
    client = await backend.redis_client(timeout_seconds=5.0)
    index = RedisDeadlineIndex(client, prefix=prefix, guard=RedisGuard(), groups=1)
    ids = [uuid4() for _ in range(9000)]  # more than Lua can unpack at once
    for start in range(0, len(ids), 100):
        await asyncio.gather(*(index.schedule(i, T0) for i in ids[start : start + 100]))
    assert await index.size() == 9000
    await index.unschedule(ids)
    assert await index.size() == 0
    assert await index_keys(client, prefix) == []
    await client.aclose()


async def test_a_batch_fills_sets_up_to_their_size_and_moves_members_in_place(
    client: redis.asyncio.Redis, prefix: str
) -> None:
    """One script call per group schedules the whole batch: sets stay within their size,
    a member named twice in a batch is held once, and a second batch moves members."""
    index = small_index(client, prefix)
    ids = [uuid4() for _ in range(37)]
    batch = [(attempt_id, T0 + n * MS) for n, attempt_id in enumerate(ids)]
    assert await index.schedule_all([*batch, batch[0]]) == 38
    sizes = await sets_of(client, prefix)
    assert all(size <= 5 for size in sizes.values())
    assert sum(sizes.values()) == 37
    await index.schedule_all([(attempt_id, T0 - MS) for attempt_id in ids[::2]])
    assert await index.size() == 37
    assert set(await index.due(T0 - MS, 100)) == set(ids[::2])
