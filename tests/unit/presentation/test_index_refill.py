"""When the sweeper refills the deadline index: Redis back after an outage, or a new
run_id (a restart no command noticed); not on every pass."""

from __future__ import annotations

from presentation.bootstrap.index_refill import IndexRefillTrigger


class _Redis:
    def __init__(self) -> None:
        self.run_id: str | None = "first"
        self.asked = 0

    async def server_run_id(self) -> str | None:
        self.asked += 1
        return self.run_id


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _trigger() -> tuple[IndexRefillTrigger, _Redis, _Clock]:
    server, clock = _Redis(), _Clock()
    trigger = IndexRefillTrigger(server.server_run_id, check_every_seconds=1.0, clock=clock)
    return trigger, server, clock


async def test_the_first_run_id_is_only_remembered() -> None:
    trigger, server, clock = _trigger()
    assert not await trigger.due(redis_unavailable=False)
    clock.now = 0.5
    assert not await trigger.due(redis_unavailable=False)
    assert server.asked == 1  # once a second, not every pass


async def test_a_new_run_id_is_a_refill() -> None:
    trigger, server, clock = _trigger()
    await trigger.due(redis_unavailable=False)
    server.run_id = "second"
    clock.now = 1.0
    assert await trigger.due(redis_unavailable=False)
    trigger.refilled()
    clock.now = 2.0
    assert not await trigger.due(redis_unavailable=False)


async def test_redis_back_after_an_outage_is_a_refill_at_once() -> None:
    trigger, _, clock = _trigger()
    await trigger.due(redis_unavailable=False)
    assert not await trigger.due(redis_unavailable=True)
    clock.now = 0.1  # within the run_id interval: the breaker closing is enough
    assert await trigger.due(redis_unavailable=False)
    trigger.refilled()
    clock.now = 0.2
    assert not await trigger.due(redis_unavailable=False)


async def test_a_refill_stays_due_until_it_happened() -> None:
    trigger, _, clock = _trigger()
    await trigger.due(redis_unavailable=False)
    await trigger.due(redis_unavailable=True)
    assert await trigger.due(redis_unavailable=False)  # and PostgreSQL fails meanwhile
    clock.now = 0.3
    assert await trigger.due(redis_unavailable=False)


async def test_a_failed_run_id_read_waits_for_the_breaker() -> None:
    trigger, server, clock = _trigger()
    await trigger.due(redis_unavailable=False)
    server.run_id = None  # the INFO failed: the breaker opens
    clock.now = 1.0
    assert not await trigger.due(redis_unavailable=False)
    server.run_id = "second"
    clock.now = 1.1
    assert await trigger.due(redis_unavailable=False)
