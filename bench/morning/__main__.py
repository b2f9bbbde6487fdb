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
import secrets
import shlex
import sys
import time

from bench import seed
from bench.config import BenchConfig
from bench.memory import forget_keys
from bench.morning.morning import (
    MorningResult,
    create_exam,
    run_morning,
    warm_up,
)
from bench.morning.open_loop import RateResult, fixed_rate_saves, start_attempts
from bench.morning.options import parse, settings_from
from bench.morning.process import on_uvloop, raise_open_files
from bench.morning.report import (
    morning_details,
    morning_table,
    rate_details,
    rate_table,
    render_header,
)
from bench.runner import scratch_directory
from bench.scenarios.context import BenchContext
from bench.scenarios.environment import describe_servers
from bench.servers import FLOOR_FACTORY, HOURGLASS_FACTORY, backing_servers
from infrastructure.postgres.migrations import upgrade_database


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
    header = render_header(args, command, time.monotonic() - began, files, env)
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
    results: list[MorningResult] = []
    for n in args.candidates:
        people = seed.candidates(bench.secret, f"{bench.run_id}m{n}", n)
        tokens = [p.token for p in people]
        result = _morning(bench, f"hourglass-morning-{n}", HOURGLASS_FACTORY, tokens, args)
        if args.floor:
            result.floor = _morning(bench, f"floor-morning-{n}", FLOOR_FACTORY, tokens, args)
        results.append(result)
        print(morning_table([result]).splitlines()[-1], flush=True)
        if not result.sustained() and not args.all:
            break
    return results


def _morning(
    bench: BenchContext, name: str, factory: str, tokens: list[str], args: argparse.Namespace
) -> MorningResult:
    settings = settings_from(args)
    with bench.service(name, factory, server=args.server) as service:
        exam_id, duration = create_exam(service, bench.admin, settings)
        on_uvloop(warm_up(service, bench.admin, exam_id))
        return on_uvloop(run_morning(service, tokens, exam_id, duration, settings))


def _rate(bench: BenchContext, args: argparse.Namespace) -> RateResult:
    with bench.service("hourglass-rate", HOURGLASS_FACTORY, server=args.server) as service:
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


def main(argv: list[str] | None = None) -> None:
    args = parse(argv, __doc__ or "")
    words = ["uv", "run", "--group", "bench", "python", "-m", "bench.morning", *sys.argv[1:]]
    section, _, _ = run(args, shlex.join(words))
    print(section)


if __name__ == "__main__":
    main()
