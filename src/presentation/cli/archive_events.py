"""`hourglass archive-events`: finished attempts' audit events out of the live table."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import UTC, datetime
from typing import Any

import click

from application.use_cases.archive_events import ArchiveFinishedEvents
from presentation.bootstrap import runtime


@click.command(name="archive-events")
@click.option(
    "--finished-before",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"]),
    help="Attempts final and last changed before this time (UTC unless an offset is given)",
)
@click.option("--batch-size", default=1000, show_default=True, type=click.IntRange(min=1),
              help="Attempts per transaction")  # fmt: skip
@click.option("--vacuum/--no-vacuum", default=True, show_default=True,
              help="VACUUM ANALYZE both tables after moving (else autovacuum, slowly)")  # fmt: skip
@click.option("--data-dir", default=None)
def archive_events(
    finished_before: datetime, batch_size: int, vacuum: bool, data_dir: str | None
) -> None:
    """Move the audit events of attempts finished before a time from attempt_events to
    attempt_events_archive, a batch of attempts per transaction (safe beside live traffic,
    and resumable). Trails, reviews and regrades read both tables; saves write only to
    the smaller live one. Then, if events moved, both tables are vacuumed: left to
    autovacuum, that runs throttled for minutes beside live traffic and slows every
    insert meanwhile. Prints {"attempts", "events", "batches", "vacuumed"}."""
    cutoff = finished_before if finished_before.tzinfo else finished_before.replace(tzinfo=UTC)

    async def archive(container: Any) -> Any:
        use_case = await container.get(ArchiveFinishedEvents)
        return await use_case(cutoff, batch_size=batch_size, reclaim=vacuum)

    settings = runtime.load_settings(data_dir=data_dir)
    with runtime.backing_services(settings, with_redis=False) as ready:
        runtime.migrate(ready)
        report = asyncio.run(runtime.run_in_request(ready, archive))
    json.dump(
        {
            "attempts": report.attempts,
            "events": report.events,
            "batches": report.batches,
            "vacuumed": report.reclaimed,
        },
        sys.stdout,
    )
    click.echo()
