"""The save and read paths as other deployments serve them: two workers, the FastAPI peer,
and the other ASGI server."""

from __future__ import annotations

from pathlib import Path

from bench.config import OTHER_SERVER, SERVER
from bench.scenarios.context import BenchContext
from bench.scenarios.remaining import read_run
from bench.scenarios.save import save_runs
from bench.servers import HELLO_FACTORY, HOURGLASS_FACTORY, PEER_FACTORY


def two_workers(bench: BenchContext, save: Path, remaining: Path) -> None:
    """Save answer on a two-worker server at the first save concurrency."""
    with bench.service(f"hourglass-{SERVER}-2w", HOURGLASS_FACTORY, workers=2) as two:
        # Seeding showed the first server every token and attempt; a new one must see
        # them too (in each worker, hence a few passes) to compare steady states rather
        # than cold caches with warm ones.
        bench.prime(two, remaining, passes=3)
        save_runs(bench, two, "hourglass", SERVER, 2, save, bench.config.connections[:1])


def peer(bench: BenchContext, save: Path) -> None:
    """Save answer on the FastAPI + asyncpg + redis-py peer (bench/peers)."""
    # The peer as the systems Hourglass replaces deploy it: one uvicorn worker.
    with bench.service("peer-uvicorn", PEER_FACTORY, server="uvicorn") as target:
        save_runs(bench, target, "peer", "uvicorn", 1, save, bench.config.connections)


def other_server(bench: BenchContext, save: Path, remaining: Path, hello: Path) -> None:
    """Save, remaining time and hello world under the ASGI server `serve` does not use."""
    conns = bench.config.connections[:1]
    other = OTHER_SERVER
    with bench.service(f"hourglass-{other}-1w", HOURGLASS_FACTORY, server=other) as target:
        bench.prime(target, remaining)  # as warm as the main server after seeding
        save_runs(bench, target, "hourglass", other, 1, save, conns)
        read_run(bench, target, "hourglass", other, "remaining", remaining, primed=True)
    with bench.service(f"hello-{other}", HELLO_FACTORY, server=other) as hello_app:
        read_run(bench, hello_app, "hello", other, "hello", hello)
