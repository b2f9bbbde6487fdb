"""LiveUpdates: a watcher hears, in order, the updates of its attempt published while it
watches, and only those; a watcher far behind keeps the oldest; outages lose messages
without an error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from uuid import UUID, uuid4

import pytest

from application.ports import AttemptUpdate, LiveUpdates, UpdateKind
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.live_updates import RedisLiveUpdates
from tests.contract.conftest import SIDES
from tests.fakes import FakeLiveUpdates

HEARING = 2.0  # seconds a published update may take to reach a watcher
SILENCE = 0.2  # seconds of silence that count as "nothing more"


@pytest.fixture(params=SIDES)
def side(request: pytest.FixtureRequest) -> LiveUpdates:
    """Live updates of this test's own (sync: the real servers start outside the loop)."""
    if request.param == "fake":
        return FakeLiveUpdates()
    return RedisLiveUpdates(
        request.getfixturevalue("redis_client"),
        prefix=request.getfixturevalue("redis_prefix"),
        guard=RedisGuard(),
    )


@pytest.fixture
async def live(side: LiveUpdates) -> AsyncIterator[LiveUpdates]:
    """The real updates once this process listens: before that, messages reach nobody."""
    if isinstance(side, RedisLiveUpdates):
        listening = asyncio.Event()
        side.on_listening(lambda now_listening: listening.set() if now_listening else None)
        await asyncio.wait_for(listening.wait(), HEARING)
    yield side
    if isinstance(side, RedisLiveUpdates):
        await side.close()


@pytest.fixture(params=SIDES)
def unreachable(request: pytest.FixtureRequest) -> LiveUpdates:
    if request.param == "fake":
        updates = FakeLiveUpdates()
        updates.down = True
        return updates
    client = request.getfixturevalue("unreachable_redis")
    return RedisLiveUpdates(client, prefix="hgcontract", guard=RedisGuard())


def update(
    attempt_id: UUID, reason: str = "extended", kind: UpdateKind = UpdateKind.STATUS
) -> AttemptUpdate:
    return AttemptUpdate(attempt_id=attempt_id, kind=kind, reason=reason)


async def heard(updates: AsyncIterator[AttemptUpdate]) -> AttemptUpdate:
    return await asyncio.wait_for(anext(updates), HEARING)


async def nothing_more(updates: AsyncIterator[AttemptUpdate]) -> None:
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(anext(updates), SILENCE)


async def backlog(updates: AsyncIterator[AttemptUpdate]) -> list[AttemptUpdate]:
    """Every update the watcher holds unread."""
    held = []
    while True:
        try:
            held.append(await asyncio.wait_for(anext(updates), SILENCE))
        except TimeoutError:
            return held


async def all_dispatched(live: LiveUpdates) -> None:
    """Wait until everything published so far has reached the watchers: updates arrive in
    publishing order, so a marker published now arrives after them."""
    marker = update(uuid4(), "marker")
    async with live.watch(marker.attempt_id) as markers:
        await live.publish(marker)
        assert await heard(markers) == marker


async def test_a_watcher_hears_its_attempts_update_as_published(live: LiveUpdates) -> None:
    attempt_id = uuid4()
    # Any reason text, the separator of the Redis message included.
    sent = update(attempt_id, "extra time | 10 min", UpdateKind.DEADLINE_CHANGED)
    async with live.watch(attempt_id) as updates:
        await live.publish(sent)
        assert await heard(updates) == sent
        await nothing_more(updates)


async def test_a_watcher_hears_no_other_attempts_updates(live: LiveUpdates) -> None:
    mine, other = uuid4(), uuid4()
    async with live.watch(mine) as updates:
        await live.publish(update(other, "not mine"))
        await live.publish(update(mine, "mine"))
        assert await heard(updates) == update(mine, "mine")


async def test_every_watcher_of_the_attempt_hears_the_update(live: LiveUpdates) -> None:
    attempt_id = uuid4()
    async with live.watch(attempt_id) as first, live.watch(attempt_id) as second:
        await live.publish(update(attempt_id))
        assert await heard(first) == update(attempt_id)
        assert await heard(second) == update(attempt_id)


async def test_a_batch_arrives_in_order(live: LiveUpdates) -> None:
    attempt_id = uuid4()
    batch = [update(attempt_id, f"change {n}") for n in range(5)]
    async with live.watch(attempt_id) as updates:
        await live.publish_all([])
        await live.publish_all(batch)
        assert [await heard(updates) for _ in batch] == batch
        await nothing_more(updates)


async def test_updates_published_before_the_watch_are_not_heard(live: LiveUpdates) -> None:
    attempt_id = uuid4()
    await live.publish(update(attempt_id, "before"))
    await all_dispatched(live)
    async with live.watch(attempt_id) as updates:
        await live.publish(update(attempt_id, "during"))
        assert await heard(updates) == update(attempt_id, "during")


async def test_a_watcher_far_behind_keeps_the_oldest_updates(live: LiveUpdates) -> None:
    attempt_id = uuid4()
    sent = [update(attempt_id, f"change {n}") for n in range(100)]
    async with live.watch(attempt_id) as updates:
        await live.publish_all(sent)
        await all_dispatched(live)
        kept = await backlog(updates)

    assert 0 < len(kept) < len(sent)
    assert kept == sent[: len(kept)]


async def test_an_unreachable_server_loses_updates_without_an_error(
    unreachable: LiveUpdates,
) -> None:
    await unreachable.publish(update(uuid4()))
    await unreachable.publish_all([update(uuid4()), update(uuid4())])


async def test_a_watcher_of_every_attempt_hears_each_attempts_updates_in_order(
    live: LiveUpdates,
) -> None:
    first, second = uuid4(), uuid4()
    async with live.watch_every() as updates, live.watch(first) as only_first:
        await live.publish_all([update(first, "a"), update(second, "b"), update(first, "c")])
        heard = [await asyncio.wait_for(anext(updates), HEARING) for _ in range(3)]
        assert [(u.attempt_id, u.reason) for u in heard] == [
            (first, "a"), (second, "b"), (first, "c"),
        ]  # fmt: skip
        assert (await asyncio.wait_for(anext(only_first), HEARING)).reason == "a"
