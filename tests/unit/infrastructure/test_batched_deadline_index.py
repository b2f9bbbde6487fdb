"""New deadline entries are held a moment and written together; nothing older lands later."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

from infrastructure.batched_deadline_index import BatchedDeadlineIndex
from tests.fakes import InMemoryDeadlineIndex

T0 = datetime(2030, 5, 1, 9, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
# Never reached in these tests: entries go out when the test asks.
LATER = 3600.0


class CountedIndex(InMemoryDeadlineIndex):
    """Records each batch written, and can hold a write until the test lets it land."""

    def __init__(self) -> None:
        super().__init__()
        self.batches: list[list[UUID]] = []
        self.sent = asyncio.Event()
        self.landing = asyncio.Event()
        self.landing.set()

    async def schedule_all(self, entries: Sequence[tuple[UUID, datetime]]) -> int:
        self.batches.append([attempt_id for attempt_id, _ in entries])
        self.sent.set()
        await self.landing.wait()
        return await super().schedule_all(entries)


async def sent(index: CountedIndex, batches: int) -> None:
    while len(index.batches) < batches:  # noqa: ASYNC110 (a count, not one event)
        await asyncio.sleep(0)


async def test_entries_are_held_then_written_together_in_one_batch() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER)
    ids = [uuid4() for _ in range(3)]
    for attempt_id in ids:
        await index.schedule(attempt_id, T0)
    assert inner.entries == {}
    assert index.held == 3

    await index.write_held()
    assert inner.batches == [ids]
    assert set(inner.entries) == set(ids)
    assert index.held == 0


async def test_the_delay_writes_them_without_being_asked() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=0)
    await index.schedule(uuid4(), T0)
    await index.schedule(uuid4(), T0)
    for _ in range(3):  # the timer's turn, then the write's
        await asyncio.sleep(0)
    assert len(inner.batches) == 1
    assert len(inner.entries) == 2


async def test_the_later_schedule_of_an_attempt_wins() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER)
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0)
    await index.schedule(attempt_id, T0 + HOUR)
    await index.write_held()
    assert inner.entries == {attempt_id: T0 + HOUR}


async def test_the_sweeper_sees_every_entry_this_process_made() -> None:
    index = BatchedDeadlineIndex(CountedIndex(), delay_seconds=LATER)
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0)
    assert await index.due(T0, 10) == [attempt_id]
    assert await index.size() == 1


async def test_an_unscheduled_attempt_held_here_is_never_written() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER)
    attempt_id, other = uuid4(), uuid4()
    await index.schedule(attempt_id, T0)
    await index.schedule(other, T0)
    await index.unschedule([attempt_id])
    await index.write_held()
    assert inner.entries == {other: T0}


async def test_a_batch_schedule_replaces_what_is_held_for_its_attempts() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER)
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0)
    assert await index.schedule_all([(attempt_id, T0 + HOUR)]) == 1
    await index.write_held()
    assert inner.entries == {attempt_id: T0 + HOUR}


async def test_an_unschedule_lands_after_a_write_under_way_that_holds_its_attempt() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=0)
    attempt_id = uuid4()
    inner.landing.clear()  # the batch write is sent but has not landed
    await index.schedule(attempt_id, T0)
    await inner.sent.wait()
    unscheduling = asyncio.ensure_future(index.unschedule([attempt_id]))
    await asyncio.sleep(0)
    assert not unscheduling.done()  # it waits for the write ...
    inner.landing.set()
    await unscheduling
    assert inner.entries == {}  # ... so the older entry cannot land after it


async def test_closing_writes_what_is_held() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER)
    attempt_id = uuid4()
    await index.schedule(attempt_id, T0)
    await index.close()
    assert inner.entries == {attempt_id: T0}


async def test_a_batch_the_index_did_not_take_is_held_and_written_again() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER, retry_seconds=LATER)
    attempt_id = uuid4()
    inner.down = True  # Redis away, or the breaker open: the adapter wrote nothing
    await index.schedule(attempt_id, T0)
    await index.write_held()
    assert index.held == 1
    inner.down = False
    await index.write_held()
    assert inner.entries == {attempt_id: T0}


async def test_the_retry_comes_by_itself() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=0, retry_seconds=0)
    inner.down = True
    await index.schedule(uuid4(), T0)
    await sent(inner, 2)  # the first write, then the retry
    assert inner.batches[0] == inner.batches[1]


async def failing_write_under_way(attempt_id: UUID) -> tuple[CountedIndex, BatchedDeadlineIndex]:
    """The attempt's entry (at T0) is being written, to an index that will not take it
    once the test lets the write land."""
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=0, retry_seconds=LATER)
    inner.down = True
    inner.landing.clear()
    await index.schedule(attempt_id, T0)
    await inner.sent.wait()
    return inner, index


async def test_an_attempt_removed_while_its_batch_failed_is_not_held_again() -> None:
    attempt_id = uuid4()
    inner, index = await failing_write_under_way(attempt_id)
    unscheduling = asyncio.ensure_future(index.unschedule([attempt_id]))
    await asyncio.sleep(0)
    inner.landing.set()  # the write fails ...
    await unscheduling
    assert index.held == 0  # ... and its entry, removed meanwhile, is not held again


async def test_a_newer_schedule_made_while_a_batch_failed_is_the_one_kept() -> None:
    attempt_id = uuid4()
    inner, index = await failing_write_under_way(attempt_id)
    await index.schedule(attempt_id, T0 + HOUR)
    await sent(inner, 2)  # the newer entry's write is under way too
    inner.landing.set()  # both fail, the older first
    await index.write_held()
    assert index.held == 1
    inner.down = False
    await index.write_held()
    assert inner.entries == {attempt_id: T0 + HOUR}  # the newer entry, whatever failed first


async def test_what_is_held_through_an_outage_is_bounded() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER, retry_seconds=LATER, max_held=2)
    inner.down = True
    for _ in range(3):
        await index.schedule(uuid4(), T0)
    await index.write_held()
    assert index.held == 2  # the third is left to the database pass


async def test_closing_while_the_index_is_unreachable_leaves_nothing_behind() -> None:
    inner = CountedIndex()
    index = BatchedDeadlineIndex(inner, delay_seconds=LATER, retry_seconds=LATER)
    inner.down = True
    await index.schedule(uuid4(), T0)
    await index.close()
    assert index.held == 0
    assert index._timer is None
