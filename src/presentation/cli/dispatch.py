"""`hourglass dispatch`: the webhook dispatcher on its own, beside or instead of `serve`'s."""

from __future__ import annotations

import asyncio
import signal

import click

from presentation.bootstrap import runtime
from presentation.bootstrap.logs import configure_logging


@click.command(name="dispatch")
@click.option("--once", is_flag=True, help="Send what is due now, then exit")
@click.option("--data-dir", default=None)
def dispatch(once: bool, data_dir: str | None) -> None:
    """Deliver the outbox's webhooks, signed, in order per attempt, retrying with backoff.
    Any number may run at once, with `serve`'s or without (HOURGLASS_WEBHOOK_* settings)."""
    settings = runtime.load_settings(data_dir=data_dir)
    configure_logging(settings.log_level)
    # PostgreSQL only: it can run beside a `serve` that owns the data dir's Valkey.
    with runtime.backing_services(settings, with_redis=False) as ready:
        runtime.migrate(ready)
        sent = asyncio.run(_dispatch(ready, once=once))
    if once:
        click.echo(f"{sent} deliveries sent")


async def _dispatch(settings: runtime.Settings, *, once: bool) -> int:
    async with runtime.webhook_dispatcher(settings) as dispatcher:
        if once:
            return await dispatcher.run_once()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, dispatcher.stop)
        await dispatcher.run()
        return 0
