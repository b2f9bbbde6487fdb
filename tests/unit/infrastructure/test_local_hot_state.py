"""The per-process copy of hot state: fast, short-lived, dropped on every announcement."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID, uuid4

from application.ports import AttemptUpdate, UpdateKind
from domain.attempt import Attempt, LiveAttempt
from infrastructure.local_hot_state import LocallyCachedHotState
from tests.fakes.builders import make_exam
from tests.fakes.clock import T0
from tests.fakes.hot_state import InMemoryHotStateStore


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def started() -> Attempt:
    import uuid

    return Attempt.start(attempt_id=uuid.uuid4(), exam=make_exam(), candidate_id="ann", now=T0)


def assert_standing(found: LiveAttempt | None, attempt: Attempt) -> None:
    assert found is not None
    assert (found.id, found.version, found.timer) == (attempt.id, attempt.version, attempt.timer)


def announcement(attempt: Attempt) -> AttemptUpdate:
    return AttemptUpdate(attempt_id=attempt.id, kind=UpdateKind.DEADLINE_CHANGED, reason="x")


async def test_reads_are_served_locally_until_the_copy_expires() -> None:
    shared, ticks = InMemoryHotStateStore(), Ticks()
    local = LocallyCachedHotState(shared, ttl_seconds=2.0, clock=ticks)
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    assert (await local.get(attempt.id)) is not None
    shared.down = True  # the shared store is no longer asked
    assert (await local.get(attempt.id)) is not None
    ticks.now = 2.0
    assert await local.get(attempt.id) is None


async def test_an_announcement_drops_the_copy_at_once() -> None:
    shared, ticks = InMemoryHotStateStore(), Ticks()
    local = LocallyCachedHotState(shared, clock=ticks)
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    await local.get(attempt.id)
    attempt.extend(timedelta(minutes=5), reason="x", now=T0)
    await shared.put(attempt)  # another process changed it ...
    local.announced(announcement(attempt))  # ... and said so
    fresh = await local.get(attempt.id)
    assert fresh is not None
    assert fresh.timer.deadline == attempt.timer.deadline


class SlowStore(InMemoryHotStateStore):
    """A shared store whose reads wait until the test lets them answer."""

    def __init__(self) -> None:
        super().__init__()
        self.answer = asyncio.Event()

    async def get(self, attempt_id: UUID) -> LiveAttempt | None:
        await self.answer.wait()
        return await super().get(attempt_id)


@dataclass
class ReadInFlight:
    """A local store whose read of `attempt` is waiting on the shared store's answer."""

    shared: SlowStore
    local: LocallyCachedHotState
    attempt: Attempt
    reading: asyncio.Future[LiveAttempt | None]

    async def answered(self) -> LiveAttempt | None:
        self.shared.answer.set()
        return await self.reading

    async def kept(self) -> bool:
        """Whether the local store now serves the attempt without the shared store."""
        self.shared.down = True
        return await self.local.get(self.attempt.id) is not None


async def read_in_flight() -> ReadInFlight:
    shared = SlowStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    reading = asyncio.ensure_future(local.get(attempt.id))
    await asyncio.sleep(0)  # the read is now waiting on the shared store
    return ReadInFlight(shared, local, attempt, reading)


async def test_a_read_in_flight_during_an_announcement_is_not_kept() -> None:
    read = await read_in_flight()
    read.local.announced(announcement(read.attempt))  # an announcement arrives meanwhile
    assert await read.answered() is not None
    assert not await read.kept()  # nothing old was kept


async def test_a_read_in_flight_is_kept_when_only_another_attempt_changed() -> None:
    read, other = await read_in_flight(), started()
    read.local.announced(announcement(other))  # someone else's deadline moved ...
    await read.local.put(other)  # ... or someone else started, meanwhile
    assert await read.answered() is not None
    assert await read.kept()  # served from the copy kept


async def test_a_read_in_flight_during_a_write_of_its_attempt_here_is_not_kept() -> None:
    read = await read_in_flight()
    read.shared.answer.set()  # answers with what it holds now, which the write replaces
    newer = read.attempt.live().with_version(1)
    await read.local.put(newer)
    assert (await read.reading) is not None
    read.shared.down = True
    kept = await read.local.get(read.attempt.id)
    assert kept is not None
    assert kept.version == 1  # the write's standing, not the read's


async def test_a_read_in_flight_while_the_subscription_comes_back_is_not_kept() -> None:
    read = await read_in_flight()
    read.local.listening(True)  # a resubscription: announcements may have been missed
    await read.answered()
    assert not await read.kept()


async def test_of_two_reads_in_flight_only_the_later_one_keeps_what_it_read() -> None:
    read = await read_in_flight()
    read.local.announced(announcement(read.attempt))  # the first read may be out of date
    second = asyncio.ensure_future(read.local.get(read.attempt.id))
    await asyncio.sleep(0)
    await read.answered()
    await second
    assert (await read.local.stats())["local_copies"] == 1
    assert not read.local._reading  # no mark outlives its read


async def test_a_cancelled_read_leaves_no_mark() -> None:
    read = await read_in_flight()
    read.reading.cancel()
    await asyncio.gather(read.reading, return_exceptions=True)
    assert not read.local._reading


async def test_each_caller_gets_its_own_copy() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    first = await local.get(attempt.id)
    assert first is not None
    first.version = 99
    first.timer = first.timer.extend(timedelta(minutes=5))
    second = await local.get(attempt.id)
    assert second is not None
    assert (second.version, second.timer) == (0, attempt.timer)
    assert type(second) is LiveAttempt  # the standing alone: nothing to score


async def test_a_write_the_shared_store_takes_is_then_served_here() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    assert await local.put(attempt)
    assert shared.peek(attempt.id) is not None
    shared.down = True  # a start's stream and question list read it without asking
    assert_standing(await local.get(attempt.id), attempt)
    shared.down = False
    await local.forget(attempt.id)
    assert await local.get(attempt.id) is None


async def test_a_write_the_shared_store_refuses_leaves_no_copy() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    await shared.put(attempt.live().with_version(3))  # another process wrote a newer one
    assert not await local.put(attempt.live().with_version(2))
    found = await local.get(attempt.id)
    assert found is not None
    assert found.version == 3
    assert (await local.stats())["local_misses"] == 1  # asked the shared store


async def test_a_final_attempt_written_here_is_not_kept() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    exam = make_exam()
    attempt = Attempt.start(attempt_id=uuid4(), exam=exam, candidate_id="ann", now=T0)
    await local.put(attempt)
    attempt.submit(exam, T0)
    assert not await local.put(attempt)
    assert await local.get(attempt.id) is None


class SlowWrites(InMemoryHotStateStore):
    """A shared store whose writes wait until the test lets them finish."""

    def __init__(self) -> None:
        super().__init__()
        self.finish = asyncio.Event()

    async def put(self, attempt: LiveAttempt) -> bool:
        await self.finish.wait()
        return await super().put(attempt)


async def test_a_write_in_flight_during_an_announcement_is_not_kept() -> None:
    shared = SlowWrites()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    writing = asyncio.ensure_future(local.put(attempt))
    await asyncio.sleep(0)
    local.announced(announcement(attempt))  # another process changed it meanwhile
    shared.finish.set()
    assert await writing  # the shared store took it, but it may already be out of date
    assert (await local.stats())["local_copies"] == 0
    assert not local._reading


async def test_capacity_is_bounded() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, capacity=2, clock=Ticks())
    local.listening(True)
    attempts = [started() for _ in range(3)]
    for attempt in attempts:
        await shared.put(attempt)
        await local.get(attempt.id)
    assert (await local.stats())["local_copies"] == 2


async def test_nothing_is_served_locally_while_announcements_are_not_heard() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    attempt = started()
    await shared.put(attempt)
    await local.get(attempt.id)  # not listening yet: nothing is kept
    shared.down = True
    assert await local.get(attempt.id) is None


async def test_losing_the_subscription_drops_every_copy() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    await local.get(attempt.id)
    local.listening(False)  # announcements may be missed from now on
    local.listening(True)  # and those made meanwhile are lost for good
    shared.down = True
    assert await local.get(attempt.id) is None


async def test_stats_count_reads_served_locally_and_from_the_shared_store() -> None:
    shared = InMemoryHotStateStore()
    local = LocallyCachedHotState(shared, clock=Ticks())
    local.listening(True)
    attempt = started()
    await shared.put(attempt)
    for _ in range(3):
        await local.get(attempt.id)
    stats = await local.stats()
    assert (stats["local_hits"], stats["local_misses"]) == (2, 1)
    assert stats["local_copies_trusted"] is True
