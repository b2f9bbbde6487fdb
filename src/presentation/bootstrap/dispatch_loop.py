"""The webhook dispatcher as a background task of `serve` (or of `hourglass dispatch`)."""

from __future__ import annotations

import asyncio

from dishka import AsyncContainer

from application.webhooks.dispatcher import DispatchCounts, WebhookDispatcher
from presentation.api.metrics import Family
from presentation.bootstrap.background_task import stop_within

# How long stop() lets sends in flight finish (their outcomes are recorded) before cancelling.
_STOP_GRACE_SECONDS = 15.0


class DispatchLoop:
    def __init__(self, container: AsyncContainer) -> None:
        self._container = container
        self._dispatcher: WebhookDispatcher | None = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._dispatcher = await self._container.get(WebhookDispatcher)
        self._task = asyncio.create_task(self._dispatcher.run(), name="hourglass-webhooks")

    @property
    def counts(self) -> DispatchCounts:
        return DispatchCounts() if self._dispatcher is None else self._dispatcher.counts

    async def stop(self) -> None:
        if self._dispatcher is None or self._task is None:
            return
        self._dispatcher.stop()
        await stop_within(self._task, _STOP_GRACE_SECONDS)


def dispatch_families(counts: DispatchCounts) -> list[Family]:
    """This process's webhook dispatcher, for GET /metrics."""
    return [
        Family("hourglass_webhook_deliveries_total", "counter",
               "Webhook sends by this process's dispatcher, by outcome.",
               (("", {"outcome": "delivered"}, counts.delivered),
                ("", {"outcome": "retry"}, counts.retried),
                ("", {"outcome": "failed"}, counts.failed))),
    ]  # fmt: skip
