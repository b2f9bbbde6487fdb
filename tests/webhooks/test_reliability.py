"""At least once, in order per attempt: across a dispatcher killed mid-delivery, a receiver
that is down and comes back, and several dispatchers taking from one outbox."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.api.conftest import JWT_SECRET
from tests.backend import Backend
from tests.webhooks.conftest import (
    FAST,
    Client,
    deliveries,
    dispatching,
    receiving,
    register,
)
from tests.webhooks.flows import ATTEMPT_EVENTS, assert_in_order_per_attempt, run_attempts
from tests.webhooks.receiver import Receiver, first_receipts


def _dispatcher_process(backend: Backend, data_dir: Path) -> subprocess.Popen[bytes]:
    """`hourglass dispatch` as an operator runs it, in a process of its own."""
    environment = {
        **os.environ,
        "HOURGLASS_DATABASE_URL": backend.database_url,
        "HOURGLASS_JWT_SECRET": JWT_SECRET,  # the key its webhook secrets are sealed under
        "HOURGLASS_DATA_DIR": str(data_dir),
        **{f"HOURGLASS_{key.upper()}": str(value) for key, value in FAST.items()},
    }
    hourglass = Path(sys.executable).parent / "hourglass"
    return subprocess.Popen(
        [str(hourglass), "dispatch"],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def test_a_dispatcher_killed_mid_delivery_loses_nothing_after_a_restart(
    client: Client, backend: Backend, tmp_path: Path
) -> None:
    def slow(_: int, __: dict[str, Any]) -> tuple[int, float]:
        return 200, 0.15  # so the kill finds deliveries in flight

    async with receiving(policy=slow) as receiver:
        hook = await register(client, receiver.url, ATTEMPT_EVENTS)
        receiver.secret = hook["secret"]
        ids = await run_attempts(client, 10, "cand-wk")
        total = len(ids) * len(ATTEMPT_EVENTS)

        first = _dispatcher_process(backend, tmp_path)
        try:
            await _until_received(receiver, 12, within=60)
        finally:
            first.send_signal(signal.SIGKILL)  # no clean-up, no outcome recorded
            await asyncio.to_thread(first.wait, 10)
        assert len(first_receipts(receiver.delivered())) < total

        second = _dispatcher_process(backend, tmp_path)
        try:
            await receiver.wait_for(total, within=60)
        finally:
            second.send_signal(signal.SIGTERM)
            await asyncio.to_thread(second.wait, 20)

    assert all(entry.verified for entry in receiver.received)
    assert_in_order_per_attempt(receiver.delivered(), ids)


async def _until_received(receiver: Receiver, count: int, within: float) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while len(receiver.received) < count:
        assert loop.time() < deadline, "the dispatcher process delivered nothing"
        await asyncio.sleep(0.01)


async def test_a_receiver_down_then_up_gets_everything_in_order(
    client: Client, backend: Backend
) -> None:
    receiver = Receiver()  # its port is chosen; nothing listens there yet
    hook = await register(client, receiver.url, ATTEMPT_EVENTS)
    receiver.secret = hook["secret"]
    ids = await run_attempts(client, 3, "cand-wdown")
    async with dispatching(backend):
        await asyncio.sleep(1.0)  # connection refused, retried with backoff, many times
        await receiver.start()
        try:
            await receiver.wait_for(12, within=20)
        finally:
            await receiver.stop()
    assert all(entry.verified for entry in receiver.received)
    assert_in_order_per_attempt(receiver.delivered(), ids)
    listed = await deliveries(client, hook["id"])
    assert {entry["status"] for entry in listed} == {"delivered"}
    assert max(entry["attempts"] for entry in listed) > 1  # refused first, then retried


async def test_several_dispatchers_share_the_outbox_without_sending_twice(
    client: Client, backend: Backend
) -> None:
    async with receiving() as receiver:
        hook = await register(client, receiver.url, ATTEMPT_EVENTS)
        receiver.secret = hook["secret"]
        ids = await run_attempts(client, 15, "cand-wmany")
        # A long timeout, so its lease outlasts any pause of this busy machine: a repeat
        # here would be a lease taken twice, not a send whose outcome was lost.
        async with dispatching(backend, count=3, webhook_timeout_seconds=10) as dispatchers:
            await receiver.wait_for(60, within=30)
            await asyncio.sleep(0.2)
    assert len(receiver.received) == 60  # SKIP LOCKED and leases: each sent once
    assert all(entry.verified for entry in receiver.received)
    assert_in_order_per_attempt(receiver.delivered(), ids)
    assert sum(dispatcher.counts.delivered for dispatcher in dispatchers) == 60
