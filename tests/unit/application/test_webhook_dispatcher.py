"""The dispatcher's decisions with an in-memory queue and sender: delivered on a 2xx,
retried with backoff otherwise, failed past the window, and recorded in any case."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from uuid import uuid4

from application.webhooks.dispatcher import DispatchSettings, WebhookDispatcher
from application.webhooks.ports import (
    DeliveryResult,
    DeliveryStatus,
    DueDelivery,
    SendOutcome,
)
from domain.webhook_retry import RetrySchedule

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class FixedClock:
    def now(self) -> datetime:
        return NOW


class ListQueue:
    def __init__(self, due: list[DueDelivery]) -> None:
        self.due = due
        self.leases: list[datetime] = []
        self.recorded: list[DeliveryResult] = []

    async def claim_due(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[DueDelivery]:
        claimed, self.due = self.due[:limit], self.due[limit:]
        self.leases.append(lease_until)
        return claimed

    async def record(self, results: Sequence[DeliveryResult]) -> None:
        self.recorded.extend(results)


class AnsweringSender:
    def __init__(self, answers: dict[int, SendOutcome]) -> None:
        self.answers = answers
        self.sent: list[int] = []

    async def send(self, delivery: DueDelivery, now: datetime) -> SendOutcome:
        self.sent.append(delivery.id)
        return self.answers[delivery.id]


SETTINGS = DispatchSettings(
    schedule=RetrySchedule(base=timedelta(seconds=5), cap=timedelta(hours=1)),
    retry_window=timedelta(hours=24),
    timeout=timedelta(seconds=10),
    concurrency=8,
    batch_size=100,
    poll_interval=timedelta(milliseconds=10),
)


def due(delivery_id: int, *, attempts: int = 0, retry_from: datetime = NOW) -> DueDelivery:
    return DueDelivery(
        id=delivery_id,
        webhook_id=uuid4(),
        url="https://example.com/hooks",
        secret="whsec_c2VjcmV0",
        message_id=f"msg_{delivery_id}",
        body=b"{}",
        attempts=attempts,
        retry_from=retry_from,
    )


async def test_a_2xx_delivers_and_anything_else_is_retried_with_backoff() -> None:
    queue = ListQueue([due(1), due(2, attempts=3), due(3)])
    sender = AnsweringSender({
        1: SendOutcome(status_code=204, error=None),
        2: SendOutcome(status_code=503, error="HTTP 503"),
        3: SendOutcome(status_code=None, error="timed out"),
    })  # fmt: skip
    dispatcher = WebhookDispatcher(queue, sender, FixedClock(), SETTINGS)

    assert await dispatcher.run_once() == 3

    results = {result.delivery_id: result for result in queue.recorded}
    assert results[1].status is DeliveryStatus.DELIVERED
    assert results[1].attempts == 1
    assert results[1].next_attempt_at is None
    assert results[2].status is DeliveryStatus.PENDING
    assert results[2].attempts == 4
    assert results[2].next_attempt_at == NOW + timedelta(seconds=40)  # 5 s x 2**3
    assert results[3].next_attempt_at == NOW + timedelta(seconds=5)
    assert results[3].outcome.error == "timed out"
    assert queue.leases == [NOW + SETTINGS.timeout * 3]
    assert (dispatcher.counts.delivered, dispatcher.counts.retried) == (1, 2)


async def test_a_failure_past_the_retry_window_is_final() -> None:
    old = NOW - timedelta(hours=23, minutes=59, seconds=58)
    queue = ListQueue([due(1, attempts=20, retry_from=old)])
    sender = AnsweringSender({1: SendOutcome(status_code=500, error="HTTP 500")})
    dispatcher = WebhookDispatcher(queue, sender, FixedClock(), SETTINGS)

    await dispatcher.run_once()

    (result,) = queue.recorded
    assert result.status is DeliveryStatus.FAILED
    assert result.next_attempt_at is None
    assert dispatcher.counts.failed == 1


async def test_the_loop_sends_everything_due_and_records_it_before_stopping() -> None:
    queue = ListQueue([due(number) for number in range(1, 251)])
    sender = AnsweringSender(
        {number: SendOutcome(status_code=200, error=None) for number in range(1, 251)}
    )
    dispatcher = WebhookDispatcher(queue, sender, FixedClock(), SETTINGS)
    task = asyncio.create_task(dispatcher.run())
    while len(queue.recorded) < 250:  # noqa: ASYNC110 (the fake has no event to wait on)
        await asyncio.sleep(0.01)
    dispatcher.stop()
    await asyncio.wait_for(task, 5)
    assert sorted(sender.sent) == list(range(1, 251))
    assert {result.status for result in queue.recorded} == {DeliveryStatus.DELIVERED}
