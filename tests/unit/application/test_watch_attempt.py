"""Live ticks. The clock is the fake one; only the tick wait (10 ms) is real time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from application.errors import AccessDenied
from application.ports import AttemptUpdate, UpdateKind
from application.use_cases.watch_attempt import AttemptTick, WatchSettings
from domain.attempt import Attempt
from domain.result import AttemptStatus
from tests.fakes.builders import ADMIN, BOB, WATCH_TICK, Services, query, wire
from tests.fakes.clock import T0

MIN = timedelta(minutes=1)
SEC = timedelta(seconds=1)
DEADLINE = T0 + 30 * MIN
OVERDUE = DEADLINE + 30 * SEC


async def rest(ticks: AsyncIterator[AttemptTick]) -> list[AttemptTick]:
    return [tick async for tick in ticks]


async def test_the_first_tick_is_the_remaining_time(services: Services, attempt: Attempt) -> None:
    services.clock.advance(5 * MIN)
    ticks = await services.watch_attempt.open(query(attempt))
    tick = await anext(ticks)
    assert (tick.kind, tick.status, tick.remaining, tick.deadline, tick.server_time) == (
        "remaining",
        AttemptStatus.IN_PROGRESS,
        25 * MIN,
        DEADLINE,
        T0 + 5 * MIN,
    )
    assert (tick.paused, tick.reason, tick.result) == (False, None, None)
    services.clock.advance(SEC)
    assert (await anext(ticks)).remaining == 25 * MIN - SEC
    await ticks.aclose()  # type: ignore[attr-defined]
    assert services.live_updates.watchers(attempt.id) == 0


async def test_a_deadline_change_is_told_with_its_reason(
    services: Services, attempt: Attempt
) -> None:
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    await services.other_session().extend(attempt, 600)
    tick = await anext(ticks)
    assert (tick.kind, tick.reason, tick.deadline) == (
        "deadline_changed",
        "time_extended",
        DEADLINE + 10 * MIN,
    )
    assert (await anext(ticks)).kind == "remaining"
    await ticks.aclose()  # type: ignore[attr-defined]


async def test_a_pause_is_told_and_freezes_the_ticks(services: Services, attempt: Attempt) -> None:
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    services.clock.advance(10 * MIN)
    await services.other_session().pause(attempt)
    paused = await anext(ticks)
    assert (paused.kind, paused.reason, paused.paused) == ("deadline_changed", "paused", True)
    services.clock.advance(10 * MIN)
    later = await anext(ticks)
    assert (later.paused, later.remaining) == (True, 20 * MIN)
    await ticks.aclose()  # type: ignore[attr-defined]


async def test_expiry_ends_the_stream_with_the_result(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    services.clock.set(OVERDUE)
    [final] = await rest(ticks)
    assert (final.kind, final.status, final.remaining) == (
        "status",
        AttemptStatus.EXPIRED,
        timedelta(0),
    )
    assert final.result is not None
    assert (final.result.score, final.result.finished_at) == (1, DEADLINE)
    assert (await services.stored(attempt.id)).status is AttemptStatus.EXPIRED
    assert services.live_updates.watchers(attempt.id) == 0


async def test_expiry_by_the_sweeper_reaches_the_stream(
    services: Services, attempt: Attempt
) -> None:
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    services.clock.set(OVERDUE)
    await services.other_session().sweep()
    [final] = await rest(ticks)
    assert (final.kind, final.status) == ("status", AttemptStatus.EXPIRED)
    assert final.result is not None


async def test_a_submission_ends_the_stream(services: Services, attempt: Attempt) -> None:
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    services.clock.advance(10 * MIN)
    result = await services.other_session().submit_attempt(query(attempt))
    [final] = await rest(ticks)
    assert (final.kind, final.status, final.result) == ("status", AttemptStatus.SUBMITTED, result)


async def test_a_final_attempt_gets_only_its_status(services: Services, attempt: Attempt) -> None:
    result = await services.submit_attempt(query(attempt))
    ticks = await services.watch_attempt.open(query(attempt, ADMIN))
    [final] = await rest(ticks)
    assert (final.kind, final.result) == ("status", result)


def watcher_of(services: Services, heartbeat: timedelta) -> Services:
    return wire(
        clock=services.clock,
        exam_store=services.exams.store,
        attempt_store=services.attempts.store,
        hot_state=services.hot_state,
        live_updates=services.live_updates,
        watch=WatchSettings(heartbeat=heartbeat),
    )


async def test_a_lost_update_is_caught_at_the_next_heartbeat(
    services: Services, attempt: Attempt
) -> None:
    ticks = await watcher_of(services, WATCH_TICK).watch_attempt.open(query(attempt))
    await anext(ticks)
    services.live_updates.down = True
    await services.extend(attempt, 600)
    tick = await anext(ticks)
    assert (tick.kind, tick.reason, tick.deadline) == (
        "deadline_changed",
        "changed",
        DEADLINE + 10 * MIN,
    )
    assert (await anext(ticks)).kind == "remaining"
    await ticks.aclose()  # type: ignore[attr-defined]


# With an hour between heartbeats, whatever the stream tells within seconds was pushed.
HOUR = timedelta(hours=1)


async def test_changes_are_pushed_between_heartbeats(services: Services, attempt: Attempt) -> None:
    ticks = await watcher_of(services, HOUR).watch_attempt.open(query(attempt))
    assert (await anext(ticks)).kind == "remaining"
    await services.other_session().extend(attempt, 600)
    changed = await asyncio.wait_for(anext(ticks), timeout=5)
    assert (changed.kind, changed.reason, changed.deadline) == (
        "deadline_changed",
        "time_extended",
        DEADLINE + 10 * MIN,
    )
    await services.other_session().pause(attempt)
    paused = await asyncio.wait_for(anext(ticks), timeout=5)
    assert (paused.kind, paused.reason, paused.paused) == ("deadline_changed", "paused", True)
    await services.other_session().resume(attempt)
    resumed = await asyncio.wait_for(anext(ticks), timeout=5)
    assert (resumed.kind, resumed.reason, resumed.paused) == ("deadline_changed", "unpaused", False)
    result = await services.other_session().submit_attempt(query(attempt))
    final = await asyncio.wait_for(rest(ticks), timeout=5)
    assert [(tick.kind, tick.result) for tick in final] == [("status", result)]


async def test_the_stream_wakes_when_time_runs_out(services: Services, attempt: Attempt) -> None:
    await services.answer(attempt, "q1", "A")
    services.clock.set(OVERDUE - 100 * timedelta(milliseconds=1))  # deadline + grace - 0.1 s
    ticks = await watcher_of(services, HOUR).watch_attempt.open(query(attempt))
    assert (await anext(ticks)).kind == "remaining"
    reading = asyncio.ensure_future(rest(ticks))
    await asyncio.sleep(0.02)  # the stream now sleeps towards the overdue instant
    services.clock.set(OVERDUE)  # the fake clock gets there first; the real wait ends later
    final = await asyncio.wait_for(reading, timeout=5)
    assert [(tick.kind, tick.status) for tick in final] == [("status", AttemptStatus.EXPIRED)]
    assert final[0].result is not None
    assert final[0].result.finished_at == DEADLINE


async def test_an_admin_may_watch(services: Services, attempt: Attempt) -> None:
    ticks = await services.watch_attempt.open(query(attempt, ADMIN))
    assert (await anext(ticks)).kind == "remaining"
    await ticks.aclose()  # type: ignore[attr-defined]


async def test_another_candidate_is_refused_before_any_tick(
    services: Services, attempt: Attempt
) -> None:
    with pytest.raises(AccessDenied):
        await services.watch_attempt.open(query(attempt, BOB))
    assert services.live_updates.watchers(attempt.id) == 0


async def test_updates_of_other_attempts_are_not_told(services: Services, attempt: Attempt) -> None:
    ticks = await services.watch_attempt.open(query(attempt))
    await anext(ticks)
    other = await services.started(await services.given_exam(), BOB)
    await services.live_updates.publish(
        AttemptUpdate(attempt_id=other.id, kind=UpdateKind.DEADLINE_CHANGED, reason="paused")
    )
    assert (await anext(ticks)).kind == "remaining"
    await ticks.aclose()  # type: ignore[attr-defined]


async def test_a_resync_rereads_at_once_and_tells_the_final_status(
    services: Services, attempt: Attempt
) -> None:
    ticks = await watcher_of(services, HOUR).watch_attempt.open(query(attempt))
    assert (await anext(ticks)).kind == "remaining"
    reading = asyncio.ensure_future(rest(ticks))
    services.live_updates.down = True  # the submission's status message is lost
    result = await services.other_session().submit_attempt(query(attempt))
    services.live_updates.down = False
    await asyncio.sleep(0.02)
    assert not reading.done()  # nothing heard: it would wait for the hour's heartbeat
    services.live_updates.resync()  # the subscription is back after the gap
    final = await asyncio.wait_for(reading, timeout=5)
    assert [(tick.kind, tick.status, tick.result) for tick in final] == [
        ("status", AttemptStatus.SUBMITTED, result)
    ]


async def test_a_resync_with_nothing_changed_tells_the_remaining_time(
    services: Services, attempt: Attempt
) -> None:
    ticks = await watcher_of(services, HOUR).watch_attempt.open(query(attempt))
    await anext(ticks)
    services.clock.advance(MIN)
    services.live_updates.resync()
    tick = await asyncio.wait_for(anext(ticks), timeout=5)
    assert (tick.kind, tick.reason, tick.remaining) == ("remaining", None, 29 * MIN)
    await ticks.aclose()  # type: ignore[attr-defined]
