"""The dispatcher: sends due deliveries concurrently, records each outcome, retries later.

Several may run at once (processes, machines): deliveries are leased SKIP LOCKED, and a
lease that ends without an outcome (the dispatcher died mid-delivery) makes the delivery
due again, so every event is delivered at least once. A slow receiver holds only the
slots of its own deliveries, up to the timeout, never the others'.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import timedelta

from application.ports import Clock
from application.webhooks.ports import (
    DeliveryQueue,
    DeliveryResult,
    DeliveryStatus,
    DueDelivery,
    WebhookSender,
)
from domain.webhook_retry import RetrySchedule

logger = logging.getLogger("hourglass.webhooks")


@dataclass(frozen=True, slots=True, kw_only=True)
class DispatchSettings:
    schedule: RetrySchedule
    retry_window: timedelta
    timeout: timedelta  # per delivery
    concurrency: int  # deliveries in flight at once
    batch_size: int  # deliveries claimed per query
    poll_interval: timedelta  # wait when nothing is due

    @property
    def lease(self) -> timedelta:
        # The send ends within one timeout; two more leave its outcome time to be recorded
        # before another dispatcher may take the delivery as abandoned.
        return self.timeout * 3


@dataclass(slots=True)
class DispatchCounts:
    delivered: int = 0
    retried: int = 0
    failed: int = 0
    claim_errors: int = 0


@dataclass(slots=True)
class _Flight:
    tasks: set[asyncio.Task[None]] = field(default_factory=set)
    results: list[DeliveryResult] = field(default_factory=list)
    finished: asyncio.Event = field(default_factory=asyncio.Event)


class WebhookDispatcher:
    """`run()` until `stop()`: claim what is due into free slots, send, record."""

    def __init__(
        self, queue: DeliveryQueue, sender: WebhookSender, clock: Clock, settings: DispatchSettings
    ) -> None:
        self._queue = queue
        self._sender = sender
        self._clock = clock
        self._settings = settings
        self._stopping = asyncio.Event()
        self.counts = DispatchCounts()

    def stop(self) -> None:
        self._stopping.set()

    async def run(self) -> None:
        flight = _Flight()
        try:
            while not self._stopping.is_set():
                await self._record(flight)
                free = self._settings.concurrency - len(flight.tasks)
                claimed = await self._claim(min(free, self._settings.batch_size)) if free else []
                for delivery in claimed:
                    task = asyncio.create_task(self._deliver(delivery, flight))
                    flight.tasks.add(task)
                    task.add_done_callback(flight.tasks.discard)
                if claimed and len(claimed) == min(free, self._settings.batch_size):
                    await asyncio.sleep(0)  # more may be due: claim again at once
                    continue
                await self._wait(flight)
        finally:
            # Outcomes already known are kept; sends cut short are due again at lease end.
            if flight.tasks:
                await asyncio.wait(flight.tasks, timeout=self._settings.timeout.total_seconds())
            await self._record(flight)

    async def run_once(self) -> int:
        """Claim and send what is due now, wait for it, record it; how many were sent."""
        flight = _Flight()
        claimed = await self._claim(self._settings.batch_size)
        await asyncio.gather(*(self._deliver(delivery, flight) for delivery in claimed))
        await self._record(flight)
        return len(claimed)

    async def _wait(self, flight: _Flight) -> None:
        """Until a send finishes (its attempt's next event may now be due), the poll
        interval passes, or stop() is called."""
        flight.finished.clear()
        if flight.results:
            return
        waiters = [asyncio.ensure_future(flight.finished.wait())]
        waiters.append(asyncio.ensure_future(self._stopping.wait()))
        _, pending = await asyncio.wait(
            waiters,
            timeout=self._settings.poll_interval.total_seconds(),
            return_when=asyncio.FIRST_COMPLETED,
        )
        for waiter in pending:
            waiter.cancel()

    async def _claim(self, limit: int) -> list[DueDelivery]:
        now = self._clock.now()
        try:
            return await self._queue.claim_due(now, now + self._settings.lease, limit)
        except Exception:  # the database is away: try again after the poll interval
            self.counts.claim_errors += 1
            logger.warning("webhook dispatcher could not claim deliveries", exc_info=True)
            return []

    async def _deliver(self, delivery: DueDelivery, flight: _Flight) -> None:
        outcome = await self._sender.send(delivery, self._clock.now())
        now = self._clock.now()
        attempts = delivery.attempts + 1
        next_at = None
        if outcome.succeeded:
            status = DeliveryStatus.DELIVERED
            self.counts.delivered += 1
        else:
            give_up_at = delivery.retry_from + self._settings.retry_window
            next_at = self._settings.schedule.next_attempt(attempts, now, give_up_at)
            status = DeliveryStatus.PENDING if next_at is not None else DeliveryStatus.FAILED
            if next_at is None:
                self.counts.failed += 1
            else:
                self.counts.retried += 1
        flight.results.append(
            DeliveryResult(
                delivery_id=delivery.id,
                outcome=outcome,
                status=status,
                attempts=attempts,
                next_attempt_at=next_at,
                finished_at=now,
            )
        )
        flight.finished.set()

    async def _record(self, flight: _Flight) -> None:
        if not flight.results:
            return
        results, flight.results = flight.results, []
        try:
            await self._queue.record(results)
        except Exception:  # their leases end, and they are sent again: at least once
            logger.warning("webhook dispatcher could not record %d outcomes", len(results),
                           exc_info=True)  # fmt: skip
