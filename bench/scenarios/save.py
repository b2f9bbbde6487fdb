"""The save path: save answer at each concurrency, and pgbench's same write as its bound."""

from __future__ import annotations

from pathlib import Path

from bench import baselines, seed
from bench.collector import collector_pauses
from bench.report import wrk_key
from bench.scenarios.context import BenchContext
from bench.servers import ServiceProcess


def save_runs(
    bench: BenchContext, target: ServiceProcess, app: str, server: str, workers: int,
    requests: Path, connections: tuple[int, ...],
) -> None:  # fmt: skip
    """Save answer on `target` at each of `connections`, after a warm-up at the first."""
    bench.warm(target, requests, connections[0])
    # One worker only: with more, each /metrics scrape reaches whichever worker answers.
    timed = (app, workers) == ("hourglass", 1)
    for conns in connections:
        before = collector_pauses(target.url) if timed else None
        result = bench.wrk(target, wrk_key(app, server, workers, "save", conns), requests, conns)
        if before is not None:
            bench.note_pauses(f"{app}/{server} save at {conns} conns", target, before)
        stale, failed = result.count(409), result.failures(409)
        if failed:
            bench.note(
                f"{app}/{server}/{workers}w save at {conns} conns: {failed} failures other"
                f" than the expected 409s ({result.statuses}, socket errors"
                f" {result.socket_errors}); the server's log ends with:"
                f" {target.log_tail(8)!r}"
            )
        expected = bench.config.stale_share * result.requests
        bench.note(
            f"{app}/{server}/{workers}w save at {conns} conns: {stale} stale writes got 409"
            f" (about {expected:.0f} expected), {failed} other failures"
        )


def pgbench(bench: BenchContext, seeded: seed.Seeded) -> None:
    """The save's UPDATE through pgbench at each save concurrency: the database's bound."""
    if not baselines.pgbench_available():
        bench.results.skipped["save"] = "skipped: no pgbench"
        return
    url = bench.backing.database_url
    baselines.prepare_ids(url, [a for a, _ in seeded.attempts])
    try:
        for clients in bench.config.connections:
            bench.results.pgbench[clients] = baselines.run_pgbench(
                url, bench.scratch, clients=clients, seconds=bench.config.run_seconds,
                attempts=len(seeded.attempts), questions=bench.config.questions,
            )  # fmt: skip
    finally:
        baselines.drop_ids(url)
