"""`python -m bench.webhooks [--deliveries N] [--attempts N] [--rounds N]`.

1. Delivery: N pending deliveries (N/4 attempts, 4 events each, so order per attempt is
   kept as in service) sent by one dispatcher to a receiver in its own process.
2. Finalisation: rounds of N attempts submitted (16 at a time) and of N expired (sweeper
   batches), alternately without the outbox write and with it, on the same database.

Runs on the given servers (a database of its own is created there and dropped after) or,
without URLs, on embedded PostgreSQL and Valkey.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from dishka import make_async_container

from bench.memory import forget_keys
from bench.scratch_database import scratch_database
from bench.servers import backing_servers, free_port
from bench.webhooks.delivery import DeliveryRun, measure_delivery, receiver_process
from bench.webhooks.finalisation import (
    create_exam,
    outbox,
    start_attempts,
    time_expiry,
    time_submits,
)
from infrastructure.settings import Settings
from presentation.bootstrap.providers import default_providers

RESULTS = Path(__file__).resolve().parent.parent / "results"


@dataclass
class FinalisationRuns:
    submit: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})
    expiry: dict[bool, list[float]] = field(default_factory=lambda: {False: [], True: []})


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.webhooks")
    parser.add_argument("--deliveries", type=int, default=5_000)
    parser.add_argument("--attempts", type=int, default=500, help="per finalisation round")
    parser.add_argument("--rounds", type=int, default=4, help="of each: without, with")
    parser.add_argument("--database-url", default=os.environ.get("HOURGLASS_DATABASE_URL"))
    parser.add_argument("--redis-url", default=os.environ.get("HOURGLASS_REDIS_URL"))
    parser.add_argument("--no-output", action="store_true", help="print only")
    return parser.parse_args(argv)


async def _measure(
    settings: Settings, args: argparse.Namespace, receiver: str
) -> tuple[tuple[DeliveryRun, DeliveryRun], FinalisationRuns]:
    container = make_async_container(*default_providers(), context={Settings: settings})
    assert settings.database_url is not None
    try:
        delivery = await measure_delivery(
            container, settings.database_url, receiver, args.deliveries
        )
        prefanned = await measure_delivery(
            container, settings.database_url, receiver, args.deliveries, fanned_out=True
        )
        runs = FinalisationRuns()
        # A webhook for every type: "with" pays for the event and its delivery row.
        from application.webhooks.registration import WebhookAdministration
        from bench.webhooks.delivery import ADMIN
        from domain.platform_events import PlatformEventType
        from presentation.bootstrap.units import unit_of_work

        async with unit_of_work(container) as request:
            await (await request.get(WebhookAdministration)).register(
                ADMIN, f"{receiver}/hooks", list(PlatformEventType)
            )
        exam_id = await create_exam(container, timedelta(hours=1))
        short_exam_id = await create_exam(container, timedelta(seconds=1))
        await start_attempts(container, exam_id, "warm", 50)  # caches and pools warmed
        for number in range(args.rounds):
            # ABBA: without-with, then with-without, so a machine getting busier (or
            # quieter) during the run does not favour either.
            for enabled in (False, True) if number % 2 == 0 else (True, False):
                with outbox(enabled):
                    run = f"{number}-{int(enabled)}"
                    started = await start_attempts(container, exam_id, f"s{run}", args.attempts)
                    runs.submit[enabled].append(await time_submits(container, started))
                    await start_attempts(container, short_exam_id, f"e{run}", args.attempts)
                    overdue_at = datetime.now(UTC) + timedelta(seconds=1.1)
                    rate = await time_expiry(container, args.attempts, overdue_at)
                    runs.expiry[enabled].append(rate)
        return (delivery, prefanned), runs
    finally:
        await container.close()


def report(
    args: argparse.Namespace, deliveries: tuple[DeliveryRun, DeliveryRun], runs: FinalisationRuns
) -> str:
    delivery, prefanned = deliveries

    def row(name: str, values: dict[bool, list[float]]) -> str:
        without, with_ = statistics.median(values[False]), statistics.median(values[True])
        change = (with_ - without) / without * 100
        pairs = list(zip(values[False], values[True], strict=True))
        rounds = " / ".join(f"{a:.0f}→{b:.0f}" for a, b in pairs)
        paired = statistics.median(b / a - 1 for a, b in pairs)
        return (
            f"| {name} | {without:.0f} | {with_:.0f} | {change:+.1f} % |"
            f" {paired * 100:+.1f} % | {rounds} |"
        )

    load = os.getloadavg()
    return "\n".join([
        f"### Webhooks ({datetime.now(UTC):%Y-%m-%d %H:%M} UTC)",
        "",
        f"`python -m bench.webhooks --deliveries {args.deliveries} --attempts {args.attempts}"
        f" --rounds {args.rounds}`; os.cpu_count() = {os.cpu_count()}, load average"
        f" {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end.",
        "",
        "| delivery | deliveries | seconds | per second | received (distinct) |",
        "|---|---|---|---|---|",
        f"| one dispatcher, local receiver (fans out the events) | {delivery.deliveries} |"
        f" {delivery.seconds:.2f} | {delivery.per_second:.0f} | {delivery.received}"
        f" ({delivery.distinct}) |",
        f"| the same, deliveries made beforehand (no fan-out) | {prefanned.deliveries} |"
        f" {prefanned.seconds:.2f} | {prefanned.per_second:.0f} | {prefanned.received}"
        f" ({prefanned.distinct}) |",
        "",
        "| finalisation, per second | without outbox (median) | with outbox (median) |"
        " change of medians | median change within a round | rounds (without→with) |",
        "|---|---|---|---|---|---|",
        row("submit", runs.submit),
        row("expiry (sweeper)", runs.expiry),
        "",
    ])  # fmt: skip


def run(args: argparse.Namespace) -> str:
    with backing_servers(args.database_url, args.redis_url) as backing:
        prefix = f"hgbench{uuid.uuid4().hex[:6]}"
        with scratch_database(backing.database_url, "hourglass_bench_webhooks") as database_url:
            settings = Settings(
                database_url=database_url,
                redis_url=backing.redis_url,
                redis_key_prefix=prefix,
                jwt_secret="bench-webhooks-secret-long-enough-for-hs256",
                webhook_allowed_hosts="127.0.0.1",
                network_grace_seconds=0,  # the expiry rounds' attempts are due at once
                rate_limit_writes_per_second=0,
            )
            port = free_port()
            try:
                with receiver_process(port) as receiver:
                    delivery, runs = asyncio.run(_measure(settings, args, receiver))
            finally:
                forget_keys(backing.redis_url, prefix)
    return report(args, delivery, runs)


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    section = run(args)
    print(section)
    if not args.no_output:
        RESULTS.mkdir(exist_ok=True)
        with (RESULTS / f"{datetime.now(UTC):%Y-%m-%d}.md").open("a") as results:
            results.write("\n" + section + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
