"""``uv run --group bench python -m bench.morning``: the exam morning and saves at a fixed rate.

`morning`: for each N of ``--candidates`` (a fresh single-worker service each time),
N candidates start within 10 s, each opens its live stream and reads the questions;
with every stream open nobody saves for ``--idle-seconds`` (what idle streams cost);
then each saves every 15 ± 5 s, 10 % reconnect their stream once, and at the end all
submit but 5 %, who let the deadline pass. The search stops at the first N that is not
sustained (save p99 < 100 ms, start p99 < 500 ms, no error, every final status).
`rate`: saves at a fixed arrival rate (open loop), latency from each request's due time.
Prints a markdown section and appends it to today's file under bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import resource
import secrets
import shlex
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any, TypeVar

import uvloop

from bench import seed
from bench.config import BenchConfig
from bench.memory import forget_keys
from bench.morning.morning import (
    MorningResult,
    MorningSettings,
    create_exam,
    run_morning,
    warm_up,
)
from bench.morning.open_loop import RateResult, fixed_rate_saves, start_attempts
from bench.morning.report import morning_details, morning_table, rate_details, rate_table
from bench.runner import scratch_directory
from bench.scenarios.context import BenchContext
from bench.scenarios.environment import describe_servers
from bench.sections import todays_results
from bench.servers import HOURGLASS_FACTORY, backing_servers
from infrastructure.postgres.migrations import upgrade_database

SCENARIOS = ("morning", "rate")
T = TypeVar("T")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.morning",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--scenarios", default="morning,rate", help="comma-separated: morning, rate")
    add("--candidates", default="1000,2000,5000,10000", help="the N to step through")
    add("--all", action="store_true", help="run every N even after one is not sustained")
    add("--start-spread", type=float, default=10.0, help="seconds over which N start")
    add("--idle-seconds", type=float, default=10.0, help="all streams open, no saves")
    add("--save-seconds", type=float, default=45.0, help="seconds of saving")
    add("--save-every", type=float, default=15.0, help="mean seconds between saves")
    add("--reconnect-share", type=float, default=0.1)
    add("--expire-share", type=float, default=0.05)
    add("--deadline-margin", type=float, default=15.0,
        help="exam duration beyond the planned morning")  # fmt: skip
    add("--rate", type=float, default=1000.0, help="saves per second (rate scenario)")
    add("--rate-seconds", type=float, default=20.0, help="measured seconds at that rate")
    add("--rate-warmup", type=float, default=3.0)
    add("--rate-attempts", type=int, default=2000, help="attempts the saves go to")
    add("--pool-size", type=int, default=20, help="HOURGLASS_DATABASE_POOL_SIZE")
    add("--database-url", help="postgresql://… instead of embedded")
    add("--redis-url", help="redis://… instead of embedded Valkey")
    add("--redis-key-prefix", help="default: hgmorning<random>")
    add("--output", type=Path, default=todays_results())
    add("--no-output", action="store_true", help="print only")
    args = parser.parse_args(argv)
    args.scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    if unknown := set(args.scenarios) - set(SCENARIOS):
        parser.error(f"unknown scenarios: {', '.join(sorted(unknown))}")
    args.candidates = [int(n) for n in args.candidates.split(",") if n.strip()]
    return args


def settings_from(args: argparse.Namespace) -> MorningSettings:
    return MorningSettings(
        start_spread=args.start_spread, idle_seconds=args.idle_seconds,
        save_seconds=args.save_seconds, save_every=args.save_every,
        save_jitter=args.save_every / 3, reconnect_share=args.reconnect_share,
        expire_share=args.expire_share, deadline_margin=args.deadline_margin,
        submit_spread=min(3.0, args.save_every), final_wait=min(15.0, 2 + args.save_every),
    )  # fmt: skip


def raise_open_files() -> int:
    """Lift this process's open-file limit as far as allowed; the service inherits it.
    Each candidate holds two sockets (stream and requests) on each side of loopback."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for wanted in (262_144, 65_536, hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, max(wanted, hard)))
            return wanted
        except (ValueError, OSError):
            continue
    return soft


def on_uvloop(coroutine: Coroutine[Any, Any, T]) -> T:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(coroutine)


def run(
    args: argparse.Namespace, command: str = ""
) -> tuple[str, list[MorningResult], list[RateResult]]:
    files = raise_open_files()
    prefix = args.redis_key_prefix or f"hgmorning{secrets.token_hex(3)}"
    mornings: list[MorningResult] = []
    rates: list[RateResult] = []
    began = time.monotonic()
    config = BenchConfig(output=None, pool_size=args.pool_size)
    with (
        backing_servers(args.database_url, args.redis_url) as backing,
        scratch_directory() as scratch,
    ):
        bench = BenchContext(config, backing, prefix, scratch)
        try:
            upgrade_database(backing.database_url)
            env = describe_servers(backing.database_url, backing.redis_url)
            if "morning" in args.scenarios:
                mornings = _search(bench, args)
            if "rate" in args.scenarios:
                rates = [_rate(bench, args)]
        finally:
            bench.stop_all()
            forget_keys(backing.redis_url, prefix)
    header = _header(args, command, time.monotonic() - began, files, env)
    parts = [header]
    if mornings:
        parts += [
            "### Exam morning",
            "",
            morning_table(mornings),
            "",
            morning_details(mornings),
            "",
        ]
    if rates:
        parts += [
            "### Saves at a fixed rate (open loop)",
            "",
            rate_table(rates),
            "",
            rate_details(rates),
        ]
    section = "\n".join(parts)
    if not args.no_output and args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("a") as out:
            out.write("\n" + section + "\n")
    return section, mornings, rates


def _search(bench: BenchContext, args: argparse.Namespace) -> list[MorningResult]:
    settings, results = settings_from(args), []
    for n in args.candidates:
        with bench.service(f"hourglass-morning-{n}", HOURGLASS_FACTORY) as service:
            exam_id, duration = create_exam(service, bench.admin, settings)
            people = seed.candidates(bench.secret, f"{bench.run_id}m{n}", n)
            tokens = [p.token for p in people]
            on_uvloop(warm_up(service, bench.admin, exam_id))
            result = on_uvloop(run_morning(service, tokens, exam_id, duration, settings))
        results.append(result)
        print(morning_table([result]).splitlines()[-1], flush=True)
        if not result.sustained() and not args.all:
            break
    return results


def _rate(bench: BenchContext, args: argparse.Namespace) -> RateResult:
    with bench.service("hourglass-rate", HOURGLASS_FACTORY) as service:
        questions = 20
        exam_id = seed.create_exam(service.url, bench.admin, questions)
        people = seed.candidates(bench.secret, f"{bench.run_id}r", args.rate_attempts)
        attempts = on_uvloop(start_attempts(service, exam_id, [p.token for p in people]))
        result = on_uvloop(fixed_rate_saves(
            service, attempts, rate=args.rate, seconds=args.rate_seconds,
            warmup=args.rate_warmup, questions=questions,
        ))  # fmt: skip
    print(rate_table([result]).splitlines()[-1], flush=True)
    return result


def _header(args: argparse.Namespace, command: str, elapsed: float, files: int, env: Any) -> str:
    now = datetime.datetime.now(datetime.UTC)
    pg = env.postgres
    return "\n".join(
        [
            f"## {now:%Y-%m-%d %H:%M} UTC — exam morning and fixed-rate saves (issue 19)",
            "",
            f"- command: `{command}`" if command else "- command: (called from Python)",
            f"- run time {elapsed:.0f} s; os.cpu_count() = {os.cpu_count()}; load average"
            f" {os.getloadavg()[0]:.1f} at the end; Python {platform.python_version()} on"
            f" {platform.machine()}; PostgreSQL {pg.get('server_version', '?')};"
            f" {env.redis_version}",
            f"- one uvicorn worker (uvloop, httptools), pool size {args.pool_size}, a fresh service"
            f" per N; generator: one asyncio (uvloop) process, raw HTTP/1.1 over loopback"
            f" (bench/morning/http.py), open-file limit {files:,} for both",
            f"- morning: start within {args.start_spread:g} s, {args.idle_seconds:g} s idle with"
            f" every stream open, {args.save_seconds:g} s of saves every {args.save_every:g}"
            f" ± {args.save_every / 3:g} s, {100 * args.reconnect_share:g} % reconnect once,"
            f" {100 * args.expire_share:g} % let the deadline pass; sustained = save p99 < 100 ms,"
            f" start p99 < 500 ms, 0 errors, every final status; RSS per open stream = server RSS"
            f" growth from before the first start to the idle phase / open streams",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    words = ["uv", "run", "--group", "bench", "python", "-m", "bench.morning", *sys.argv[1:]]
    section, _, _ = run(args, shlex.join(words))
    print(section)


if __name__ == "__main__":
    main()
