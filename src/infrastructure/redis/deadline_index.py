"""The sweeper's deadline index: sorted sets of attempts by when they must be finalised.

Attempts are spread over `groups` groups by id; each group is its own hash tag, so a
Redis Cluster spreads the groups over its nodes. A group holds as many sorted sets as
its attempts need, each of at most `shard_size` members, so every one stays in Redis's
compact listpack encoding (zset-max-listpack-entries is 128 on a stock server; past it a
sorted set becomes a skiplist, three to four times the bytes per member). A member is
the attempt id's 16 bytes and its score the finalisation time in whole epoch
milliseconds (an integer, so the listpack stores 8 bytes, not a decimal string): about
29 bytes an attempt. `<base>:n` counts a group's sets; they are `<base>:0` … `<base>:<n-1>`.

Each operation is one script on one group, so a group changes atomically whatever the
number of API processes and sweepers. A script names the group's sets from its one key,
KEYS[1]: they share its hash tag, hence its slot, which is all Redis Cluster asks.
`schedule` moves an attempt within the set that holds it, or adds it to the first set
with room; `unschedule` removes from the sets and forgets empty sets at the end; `due`
takes the group's earliest entries. The sweeper reads all groups in one round trip:
one script call per group, all issued in one turn of the event loop, which the command
channel sends together (one write on one server; one pipeline per node on a cluster,
where redis-py refuses EVALSHA in its own pipeline objects but not as a plain command).
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any
from uuid import UUID

import redis.asyncio
from redis.commands.core import AsyncScript

from application.ports import DeadlineIndex
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.keys import RedisKeys

GROUPS = 16
# One short of the stock limit of 128: a full set of 16-byte members with integer scores
# is then a 3,563-byte listpack, inside jemalloc's 3,584-byte size class (128 take 4,096).
SHARD_SIZE = 127

# Scripts sent in one pipeline by a refill: a pipeline's replies are held until its end.
_REFILL_BATCH = 2000

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)

# How many sets the group KEYS[1] has. The count is healed upwards should it be lost.
_SETS = """
local base = KEYS[1]
local stored = tonumber(redis.call('GET', base .. ':n')) or 0
local sets = stored
while redis.call('EXISTS', base .. ':' .. sets) == 1 do sets = sets + 1 end
local function keep_count()
  while sets > 0 and redis.call('EXISTS', base .. ':' .. (sets - 1)) == 0 do sets = sets - 1 end
  if sets == stored then return end
  if sets > 0 then redis.call('SET', base .. ':n', sets) else redis.call('DEL', base .. ':n') end
end
"""

# ARGV: shard size, then member, score pairs. Each member is moved where it is, else added
# to the first set with room (opening a new set when all are full); the count is kept
# once at the end, so a bulk change schedules a group's attempts in one call.
_SCHEDULE = (
    _SETS
    + """
local size = tonumber(ARGV[1])
local added = 0
for n = 2, #ARGV, 2 do
  local member, score = ARGV[n], ARGV[n + 1]
  local room, moved
  for i = 0, sets - 1 do
    local key = base .. ':' .. i
    if redis.call('ZSCORE', key, member) then
      redis.call('ZADD', key, score, member)
      moved = true
      break
    end
    if not room and redis.call('ZCARD', key) < size then room = key end
  end
  if not moved then
    if not room then
      room = base .. ':' .. sets
      sets = sets + 1
    end
    redis.call('ZADD', room, score, member)
    added = added + 1
  end
end
keep_count()
return added
"""
)

# ARGV: members.
_UNSCHEDULE = (
    _SETS
    + """
local removed = 0
for i = 0, sets - 1 do
  for first = 1, #ARGV, 1000 do  -- unpack is limited to a few thousand values
    local last = math.min(first + 999, #ARGV)
    removed = removed + redis.call('ZREM', base .. ':' .. i, unpack(ARGV, first, last))
  end
  if removed == #ARGV then break end
end
keep_count()
return removed
"""
)

# ARGV: cutoff, limit. Up to `limit` members scored at or before the cutoff, with their
# scores: the group's earliest, in no particular order (the caller sorts). Each set is
# sorted, so when they hold more than `limit` together their heads are merged.
_DUE = (
    _SETS
    + """
local cutoff, limit = ARGV[1], tonumber(ARGV[2])
local lists, scores, heads, total = {}, {}, {}, 0
for i = 0, sets - 1 do
  local found = redis.call(
    'ZRANGEBYSCORE', base .. ':' .. i, '-inf', cutoff, 'WITHSCORES', 'LIMIT', 0, limit)
  if #found > 0 then
    lists[#lists + 1] = found
    scores[#lists] = tonumber(found[2])
    heads[#lists] = 1
    total = total + #found / 2
  end
end
if #lists == 1 then return lists[1] end
if total <= limit then
  local due = {}
  for _, found in ipairs(lists) do
    for j = 1, #found do due[#due + 1] = found[j] end
  end
  return due
end
local due = {}
for n = 1, limit do
  local best
  for j = 1, #lists do
    if scores[j] and (not best or scores[j] < scores[best]) then best = j end
  end
  local found, head = lists[best], heads[best]
  due[2 * n - 1], due[2 * n] = found[head], found[head + 1]
  head = head + 2
  heads[best] = head
  scores[best] = found[head + 1] and tonumber(found[head + 1])
end
return due
"""
)

_SIZE = (
    _SETS
    + """
local total = 0
for i = 0, sets - 1 do total = total + redis.call('ZCARD', base .. ':' .. i) end
return total
"""
)


class RedisDeadlineIndex:
    """Members are the attempt's 16 id bytes, scores its finalisation time in epoch ms.

    Every Redis failure is a no-op (or nothing due) through the shared guard: the
    sweeper's database pass finds what the index lost.
    """

    def __init__(
        self,
        client: redis.asyncio.Redis,
        *,
        prefix: str,
        guard: RedisGuard,
        groups: int = GROUPS,
        shard_size: int = SHARD_SIZE,
        commands: RedisCommands | None = None,
    ) -> None:
        if groups < 1 or shard_size < 1:
            raise ValueError("groups and shard_size must be positive")
        keys = RedisKeys(prefix)
        self._client = client
        self._commands: RedisCommands = commands or AutoPipeline(client)
        self._guard = guard
        self._bases = [keys.deadlines(group) for group in range(groups)]
        self._shard_size = shard_size
        self._schedule = client.register_script(_SCHEDULE)
        self._unschedule = client.register_script(_UNSCHEDULE)
        self._due = client.register_script(_DUE)
        self._size = client.register_script(_SIZE)

    def _base(self, attempt_id: UUID) -> str:
        return self._bases[attempt_id.int % len(self._bases)]

    async def schedule(self, attempt_id: UUID, finalises_at: datetime) -> None:
        await self.schedule_all([(attempt_id, finalises_at)])

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        # One script call per group with its members (each group is one slot), all groups'
        # calls in one turn of the loop, which the command channel sends together; an
        # exam-wide change or a refill schedules thousands. Batches bound what one call
        # holds and how long it runs on the server.
        async def add(batch: Sequence[tuple[UUID, datetime]]) -> int:
            by_base: dict[str, list[Any]] = defaultdict(list)
            for attempt_id, at in batch:
                by_base[self._base(attempt_id)] += [attempt_id.bytes, _score(at)]
            calls = [(base, [self._shard_size, *pairs]) for base, pairs in by_base.items()]
            await self._each_group(self._schedule, calls)
            return len(batch)

        scheduled = 0
        for start in range(0, len(entries), _REFILL_BATCH):
            batch = entries[start : start + _REFILL_BATCH]
            scheduled += await self._guard.call("schedule", partial(add, batch), 0)
        return scheduled

    async def unschedule(self, attempt_ids: Iterable[UUID]) -> None:
        by_base: dict[str, list[bytes]] = defaultdict(list)
        for attempt_id in attempt_ids:
            by_base[self._base(attempt_id)].append(attempt_id.bytes)
        if not by_base:
            return

        async def remove() -> None:
            await self._each_group(self._unschedule, list(by_base.items()))

        await self._guard.call("unschedule", remove, None)

    async def due(self, now: datetime, limit: int) -> list[UUID]:
        if limit < 1:
            return []
        cutoff = (now - _EPOCH) // _MILLISECOND

        async def read() -> list[UUID]:
            calls = [(base, [cutoff, limit]) for base in self._bases]
            replies: list[list[bytes]] = await self._each_group(self._due, calls)
            entries = sorted(
                (int(reply[i + 1]), reply[i]) for reply in replies for i in range(0, len(reply), 2)
            )
            return [UUID(bytes=member) for _, member in entries[:limit]]

        return await self._guard.call("due", read, [])

    async def size(self) -> int:
        async def count() -> int:
            return sum(await self._each_group(self._size, [(base, []) for base in self._bases]))

        return await self._guard.call("size", count, 0)

    async def _each_group(
        self, script: AsyncScript, calls: Sequence[tuple[str, Sequence[Any]]]
    ) -> list[Any]:
        """The script's reply for each (group base, ARGV), in order; any error raised."""
        runs = [self._commands.run_script(script, [base], args) for base, args in calls]
        replies = await asyncio.gather(*runs, return_exceptions=True)
        for reply in replies:
            if isinstance(reply, BaseException):
                raise reply
        return replies


def _score(finalises_at: datetime) -> int:
    # Rounded up: the sweeper never looks at an attempt before it is overdue.
    return -(-(finalises_at - _EPOCH) // _MILLISECOND)


_: type[DeadlineIndex] = RedisDeadlineIndex
