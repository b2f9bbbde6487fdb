"""Turns at the answer-write pool go strictly to the longest waiter."""

from __future__ import annotations

import asyncio

import pytest

from infrastructure.postgres.first_come import FirstComeFirstServed


async def test_holders_never_exceed_the_slots_and_waiters_go_in_arrival_order() -> None:
    turns = FirstComeFirstServed(2)
    order: list[int] = []
    holding = 0
    most = 0

    async def hold(n: int) -> None:
        nonlocal holding, most
        async with turns:
            holding += 1
            most = max(most, holding)
            order.append(n)
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            holding -= 1

    await asyncio.gather(*(hold(n) for n in range(10)))
    assert most == 2
    assert order == list(range(10))


async def test_a_newcomer_cannot_take_a_slot_freed_for_a_waiter() -> None:
    turns = FirstComeFirstServed(1)
    served: list[str] = []
    await turns.__aenter__()  # the slot is taken

    async def ask(name: str) -> None:
        async with turns:
            served.append(name)

    waiter = asyncio.ensure_future(ask("waiter"))
    await asyncio.sleep(0)
    assert turns.waiting == 1
    await turns.__aexit__(None, None, None)  # freed, and handed to the waiter
    newcomer = asyncio.ensure_future(ask("newcomer"))  # arrives before the waiter runs
    await asyncio.gather(waiter, newcomer)
    assert served == ["waiter", "newcomer"]


async def test_a_cancelled_waiter_leaves_the_line_and_loses_no_slot() -> None:
    turns = FirstComeFirstServed(1)
    await turns.__aenter__()
    cancelled = asyncio.ensure_future(turns.__aenter__())
    await asyncio.sleep(0)
    cancelled.cancel()
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert turns.waiting == 0
    await turns.__aexit__(None, None, None)
    async with turns:  # the slot is free again
        pass


async def test_a_slot_handed_to_a_waiter_cancelled_in_the_same_turn_goes_to_the_next() -> None:
    turns = FirstComeFirstServed(1)
    await turns.__aenter__()
    first = asyncio.ensure_future(turns.__aenter__())
    second = asyncio.ensure_future(turns.__aenter__())
    await asyncio.sleep(0)
    await turns.__aexit__(None, None, None)  # the slot is handed to `first`...
    first.cancel()  # ...which is cancelled before it runs
    with pytest.raises(asyncio.CancelledError):
        await first
    await asyncio.wait_for(second, timeout=1)  # the slot moved on
    await turns.__aexit__(None, None, None)


def test_at_least_one_slot() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        FirstComeFirstServed(0)


async def test_a_waiter_cancelled_just_before_a_slot_is_freed_leaves_cleanly() -> None:
    turns = FirstComeFirstServed(1)
    await turns.__aenter__()
    cancelled = asyncio.ensure_future(turns.__aenter__())
    await asyncio.sleep(0)
    cancelled.cancel()  # its turn is cancelled at once; the task has not run since
    await turns.__aexit__(None, None, None)  # the freed slot skips the cancelled turn
    with pytest.raises(asyncio.CancelledError):
        await cancelled
    assert turns.waiting == 0
    async with turns:  # and the slot is free
        pass
