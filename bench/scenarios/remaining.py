"""The read path: remaining time against hello world, and redis-benchmark's GET."""

from __future__ import annotations

from pathlib import Path

from bench import baselines, seed
from bench.collector import collector_pauses
from bench.report import wrk_key
from bench.scenarios.context import BenchContext
from bench.servers import ServiceProcess


def read_run(
    bench: BenchContext, target: ServiceProcess, app: str, server: str, scenario: str,
    requests: Path, *, primed: bool = False,
) -> None:  # fmt: skip
    """One measured read scenario (remaining time, or hello world) at the read concurrency."""
    conns = bench.config.read_connections
    # A candidate's page reads its timer again and again, so the steady state is a
    # process that has seen each attempt and token before: every line is sent once
    # (unmeasured) first, and the run measures repeat reads, not each one's first.
    if not primed:
        bench.prime(target, requests)
    bench.warm(target, requests, conns)
    ours = app == "hourglass"
    before = _local_copies(bench, target) if ours else None
    pauses = collector_pauses(target.url) if ours else None
    result = bench.wrk(target, wrk_key(app, server, 1, scenario, conns), requests, conns)
    if pauses is not None:
        bench.note_pauses(f"{app}/{server} {scenario}", target, pauses)
    if result.failures():
        bench.note(f"{app}/{server} {scenario}: failures {result.statuses}")
    after = _local_copies(bench, target) if ours else None
    if before is not None and after is not None:
        hits, misses = after[0] - before[0], after[1] - before[1]
        bench.note(
            f"{app}/{server} {scenario}: {hits} reads from the process's own copy of hot"
            f" state, {misses} from Redis or PostgreSQL"
        )


def redis_benchmark(bench: BenchContext) -> None:
    """redis-benchmark's GET at the read concurrency: Redis's bound on a timer read."""
    cfg = bench.config
    bench.results.redis_bench = baselines.run_redis_benchmark(
        bench.backing.redis_url, clients=cfg.read_connections,
        requests=max(10_000, int(50_000 * cfg.run_seconds / 10)),
    )  # fmt: skip


def _local_copies(bench: BenchContext, target: ServiceProcess) -> tuple[int, int] | None:
    """(hits, misses) of the process's local hot-state copies, from /admin/stats."""
    status, body = seed.call(target.url, "GET", "/api/v1/admin/stats", bench.admin)
    redis = body.get("redis", {}) if status == 200 and isinstance(body, dict) else {}
    if "local_hits" not in redis:
        return None
    return int(redis["local_hits"]), int(redis["local_misses"])
