"""Retries with backoff, order held behind a failing delivery, giving up, an admin's retry,
timeouts, and a slow receiver that holds up nobody else."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.api.conftest import ADMIN, create_exam
from tests.backend import Backend
from tests.webhooks.conftest import Client, deliveries, dispatching, receiving, register
from tests.webhooks.flows import ATTEMPT_EVENTS, assert_in_order_per_attempt, run_attempts


def fail_first(count: int) -> Any:
    def policy(number: int, _: dict[str, Any]) -> tuple[int, float]:
        return (500 if number <= count else 200), 0.0

    return policy


async def _until(client: Client, webhook_id: str, status: str, within: float = 10.0) -> list[Any]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        listed = await deliveries(client, webhook_id)
        if listed and all(entry["status"] == status for entry in listed):
            return listed
        if loop.time() > deadline:
            raise AssertionError(f"not all {status}: {listed}")
        await asyncio.sleep(0.05)


async def test_a_failed_delivery_is_retried_and_later_events_wait_for_it(
    client: Client, backend: Backend
) -> None:
    async with receiving(policy=fail_first(3)) as receiver:
        hook = await register(client, receiver.url, ATTEMPT_EVENTS)
        receiver.secret = hook["secret"]
        ids = await run_attempts(client, 1, "cand-wr1")
        async with dispatching(backend):
            await receiver.wait_for(4)
    sent = [(entry.type, entry.status) for entry in receiver.received]
    # The started event failed three times; nothing later of the attempt went meanwhile.
    assert sent[:4] == [("attempt.started", 500)] * 3 + [("attempt.started", 200)]
    assert [entry.type for entry in receiver.delivered()] == ATTEMPT_EVENTS
    assert all(entry.verified for entry in receiver.received)
    assert_in_order_per_attempt(receiver.delivered(), ids)
    listed = await deliveries(client, hook["id"])
    started = next(entry for entry in listed if entry["event_type"] == "attempt.started")
    assert started["attempts"] == 4
    assert started["status"] == "delivered"
    assert started["response_code"] == 200


async def test_retries_stop_after_the_window_and_an_admin_retry_delivers(
    client: Client, backend: Backend
) -> None:
    async with receiving(policy=fail_first(10_000)) as receiver:
        hook = await register(client, receiver.url, ["exam.created"])
        receiver.secret = hook["secret"]
        await create_exam(client)
        async with dispatching(backend, webhook_retry_window_seconds=0.4):
            listed = await _until(client, hook["id"], "failed")
        failed = listed[0]
        assert failed["attempts"] >= 2
        assert failed["response_code"] == 500
        assert failed["last_error"] == "HTTP 500"
        assert failed["next_attempt_at"] is None

        receiver.policy = fail_first(0)
        retry = f"/api/v1/webhooks/{hook['id']}/deliveries/{failed['id']}/retry"
        accepted = await client.post(retry, headers=ADMIN)
        assert accepted.status_code == 202
        assert accepted.json() == {"id": failed["id"], "status": "pending"}
        async with dispatching(backend):
            listed = await _until(client, hook["id"], "delivered")
    assert listed[0]["attempts"] == failed["attempts"] + 1
    assert receiver.delivered()[-1].verified


async def test_a_receiver_that_does_not_answer_in_time_is_retried(
    client: Client, backend: Backend
) -> None:
    def slow_once(number: int, _: dict[str, Any]) -> tuple[int, float]:
        return 200, (1.5 if number == 1 else 0.0)  # past the 1 s delivery timeout

    async with receiving(policy=slow_once) as receiver:
        hook = await register(client, receiver.url, ["exam.created"])
        receiver.secret = hook["secret"]
        await create_exam(client)
        async with dispatching(backend):
            listed = await _until(client, hook["id"], "delivered")
    assert listed[0]["attempts"] == 2
    assert listed[0]["last_error"] is None


async def test_a_slow_receiver_does_not_hold_up_the_others(
    client: Client, backend: Backend
) -> None:
    def slow(_: int, __: dict[str, Any]) -> tuple[int, float]:
        return 200, 0.9

    async with receiving(policy=slow) as sluggish, receiving() as quick:
        slow_hook = await register(client, sluggish.url, ["exam.created"])
        quick_hook = await register(client, quick.url, ["exam.created"])
        sluggish.secret, quick.secret = slow_hook["secret"], quick_hook["secret"]
        for _ in range(5):
            await create_exam(client)
        async with dispatching(backend):
            loop = asyncio.get_running_loop()
            began = loop.time()
            await quick.wait_for(5, within=5)
            quick_took = loop.time() - began
            assert sluggish.received == []  # still waiting on the slow one's answers
            await sluggish.wait_for(5, within=10)
            slow_took = loop.time() - began
    assert quick_took < 0.6
    # Five exams are five subjects: the slow receiver's deliveries run side by side too.
    assert slow_took < 2.5
