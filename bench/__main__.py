"""``uv run --group bench python -m bench``: Hourglass against its physical limits.

Starts embedded PostgreSQL and Valkey in a temporary directory (or uses the servers
given), starts the service under uvicorn as `hourglass serve` runs it (and under
granian), seeds an exam and thousands of attempts over HTTP, drives the API with wrk,
runs pgbench, a hello-world app and a FastAPI peer on the same servers, prints a
markdown table and appends it to today's file under bench/results/ (docs/benchmarks.md
says what every row means).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import secrets
import shlex
import sys
import time
from dataclasses import replace
from importlib import metadata
from pathlib import Path

from bench.config import SCENARIOS, BenchConfig
from bench.details import render_details
from bench.loadgen import wrk_available
from bench.memory import forget_keys
from bench.report import Results, render_table
from bench.rounds import rounds_table
from bench.runner import BenchRun, Environment, scratch_directory
from bench.sections import todays_results
from bench.servers import backing_servers

PACKAGES = ("litestar", "msgspec", "dishka", "sqlalchemy", "asyncpg", "redis", "hiredis",
            "pyjwt", "uvicorn", "uvloop", "httptools", "granian", "fastapi")  # fmt: skip


def parse(argv: list[str] | None) -> tuple[BenchConfig, argparse.Namespace]:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--quick", action="store_true", help="2,000 attempts, 3 s runs")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help=f"comma-separated subset of: {', '.join(SCENARIOS)}")  # fmt: skip
    parser.add_argument("--database-url", help="postgresql://… to use instead of embedded")
    parser.add_argument("--redis-url", help="redis://… to use instead of embedded Valkey")
    parser.add_argument("--redis-key-prefix", help="default: hgbench<random>")
    parser.add_argument("--attempts", type=int, help="attempts to start (default 10,000)")
    parser.add_argument("--seconds", type=float, help="length of each measured run")
    parser.add_argument("--connections", help="save-path concurrencies, e.g. 64,256")
    parser.add_argument("--pool-size", type=int, help="HOURGLASS_DATABASE_POOL_SIZE (20)")
    parser.add_argument("--output", type=Path, default=todays_results(),
                        help="markdown file to append to")  # fmt: skip
    parser.add_argument("--no-output", action="store_true", help="print only")
    parser.add_argument("--profile-dir", type=Path, help="keep the py-spy speedscope files")
    parser.add_argument("--adaptive-options", choices=("plain", "all"), default="plain",
                        help="the adaptive exam's engine options: length only, or all")  # fmt: skip
    args = parser.parse_args(argv)
    chosen = frozenset(s.strip() for s in args.scenarios.split(",") if s.strip())
    unknown = chosen - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    defaults = BenchConfig.quick() if args.quick else BenchConfig()
    config = replace(
        defaults,
        scenarios=chosen,
        profile_dir=args.profile_dir,
        output=None if args.no_output else args.output,
        attempts=args.attempts or defaults.attempts,
        run_seconds=args.seconds or defaults.run_seconds,
        connections=(
            tuple(int(c) for c in args.connections.split(","))
            if args.connections
            else defaults.connections
        ),
        pool_size=args.pool_size or defaults.pool_size,
        adaptive_all_options=args.adaptive_options == "all",
    )
    return config, args


def run(
    config: BenchConfig,
    *,
    database_url: str | None = None,
    redis_url: str | None = None,
    key_prefix: str | None = None,
    command: str = "",
) -> str:
    """Run the bench; returns the markdown section (also appended to `config.output`)."""
    if not wrk_available():
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    prefix = key_prefix or f"hgbench{secrets.token_hex(3)}"
    began = time.monotonic()
    with backing_servers(database_url, redis_url) as backing, scratch_directory() as scratch:
        bench = BenchRun(config, backing, prefix, scratch)
        try:
            results = bench.run()
        finally:
            bench.stop_all()
            forget_keys(backing.redis_url, prefix)
    section = render_section(config, results, bench.environment, command, time.monotonic() - began)
    if config.output is not None:
        config.output.parent.mkdir(parents=True, exist_ok=True)
        with config.output.open("a") as out:
            out.write("\n" + section + "\n")
    return section


def _versions() -> str:
    found = []
    for name in PACKAGES:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return ", ".join(found)


def render_section(
    config: BenchConfig, results: Results, env: Environment, command: str, elapsed: float
) -> str:
    now = datetime.datetime.now(datetime.UTC)
    header = [
        f"## {now:%Y-%m-%d %H:%M} UTC — fixed-form bench",
        "",
        f"- command: `{command}`" if command else "- command: (called from Python)",
        f"- run time {elapsed:.0f} s; os.cpu_count() = {os.cpu_count()}; Python"
        f" {platform.python_version()} on {platform.machine()}",
        f"- {_versions()}",
        f"- {env.describe()}",
        f"- {config.attempts} attempts of a {config.questions}-question fixed form, started"
        f" over HTTP; save load: {100 * config.stale_share:.0f} % stale `expected_version`"
        f" writes (must get 409), the rest without `expected_version`; {config.run_seconds:.0f}"
        f" s per run after {config.warmup_seconds:.0f} s warm-up; wrk {config.wrk_threads}"
        f" threads; pool size {config.pool_size} per worker; scenarios:"
        f" {', '.join(sorted(config.scenarios))}",
        "",
    ]
    rounds = rounds_table(results.rounds, config.round_seconds)
    return "\n".join(header) + "\n\n".join(
        part for part in (render_table(config, results), rounds, render_details(results)) if part
    )


def main(argv: list[str] | None = None) -> None:
    config, args = parse(argv)
    words = ["uv", "run", "--group", "bench", "python", "-m", "bench", *sys.argv[1:]]
    section = run(
        config,
        database_url=args.database_url,
        redis_url=args.redis_url,
        key_prefix=args.redis_key_prefix,
        command=shlex.join(words),
    )
    print(section)


if __name__ == "__main__":
    main()
