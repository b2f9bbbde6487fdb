"""``uv run --group bench python -m bench.growth``: does a year of data slow the hot paths?

In one run, on one database: save, start and submit throughput (closed loop, one
single-worker service, ``--connections`` clients) and the sweeper's reconciliation pass
(`ExpireOverdueAttempts` from PostgreSQL only, with the started attempts in progress),
first on the fresh database, then again after COPY has loaded ``--attempts`` finished
attempts and ``--events`` events into it (bench/growth/seeding.py). Reported: each
figure on both, the ratio (target ≥ 90 %), the pass's median (target < 50 ms), and
EXPLAIN of the hot statements on the big data. Appends a section to today's file under
bench/results/ (``--no-output``: print only). Embedded PostgreSQL and Valkey unless
``--database-url``/``--redis-url`` (a scratch database, never a shared one).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import secrets
import shlex
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from application.use_cases.archive_events import ArchiveReport
from bench import seed
from bench.config import BenchConfig
from bench.growth.load import Call, LoadResult, closed_loop
from bench.growth.plans import hot_plans
from bench.growth.reconcile import archive_history, reconciliation_passes
from bench.growth.seeding import Seeding, seed_history
from bench.memory import forget_keys
from bench.morning.process import on_uvloop, raise_open_files
from bench.morning.record import milliseconds
from bench.runner import scratch_directory
from bench.scenarios.context import BenchContext
from bench.scenarios.environment import Environment, describe_servers
from bench.scratch_database import scratch_database
from bench.sections import todays_results
from bench.servers import HOURGLASS_FACTORY, backing_servers
from infrastructure.postgres.migrations import upgrade_database

QUESTIONS = 20


@dataclass(slots=True)
class Round:
    name: str
    start: LoadResult
    save: LoadResult
    submit: LoadResult
    passes: list[float]  # seconds of each reconciliation pass

    def figure(self, operation: str) -> LoadResult:
        return {"start": self.start, "save": self.save, "submit": self.submit}[operation]


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.growth",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--attempts", type=int, default=1_000_000, help="finished attempts loaded")
    add("--events", type=int, default=20_000_000, help="events loaded (about 20 per attempt)")
    add("--history-exams", type=int, default=100, help="exams the history is spread over")
    add("--candidates", type=int, default=1500, help="attempts started (then submitted) per round")
    add("--save-seconds", type=float, default=8.0)
    add("--connections", type=int, default=64)
    add("--passes", type=int, default=20, help="reconciliation passes timed per round")
    add("--rounds", type=int, default=2, help="rounds on each database, alternating")
    add(
        "--no-archive",
        dest="archive",
        action="store_false",
        help="skip archiving the history (archive-events' use case) and the rounds after it",
    )
    add("--archive-batch", type=int, default=5000, help="attempts per archive transaction")
    add("--pool-size", type=int, default=20)
    add("--database-url")
    add("--redis-url")
    add("--output", type=Path, default=todays_results())
    add("--no-output", action="store_true")
    return parser.parse_args(argv)


def run(args: argparse.Namespace, command: str) -> tuple[str, list[Round]]:
    raise_open_files()
    began = time.monotonic()
    rounds: list[Round] = []
    with (
        backing_servers(args.database_url, args.redis_url) as backing,
        scratch_directory() as scratch,
        scratch_database(backing.database_url, "hourglass_growth") as big_url,
    ):
        # Two databases on one server: the fresh one as migrated, the big one loaded. Rounds
        # alternate between them (fresh, big, fresh, big…) so that the other load on the
        # machine, which drifts over minutes, falls on both alike.
        config = BenchConfig(output=None, pool_size=args.pool_size)
        contexts = {
            name: BenchContext(config, replace(backing, database_url=url),
                               f"hggrowth{name}{secrets.token_hex(3)}", scratch)
            for name, url in (("fresh", backing.database_url), ("big", big_url))
        }  # fmt: skip
        try:
            upgrade_database(backing.database_url)  # the scratch database is migrated
            env = describe_servers(backing.database_url, backing.redis_url)
            big = contexts["big"]
            with big.service("hourglass-growth-exams", HOURGLASS_FACTORY) as service:
                exams = [seed.create_exam(service.url, big.admin, QUESTIONS)
                         for _ in range(args.history_exams)]  # fmt: skip
            loading = seed_history(big_url, exams, attempts=args.attempts, events=args.events)
            seeding = asyncio.run(loading)
            print(f"seeded in {seeding.seconds:.0f} s", flush=True)
            for number in range(args.rounds):
                for name in ("fresh", "big"):
                    rounds.append(_round(contexts[name], args, name, number))
            plans = asyncio.run(hot_plans(big_url))
            archived = None
            if args.archive:
                # The growth plan applied: the history's events moved out, then measured again.
                archived = asyncio.run(archive_history(big, args.archive_batch))
                print(f"archived {archived[0].events:,} events in {archived[1]:.0f} s", flush=True)
                contexts["archived"] = big
                for number in range(args.rounds):
                    for name in ("fresh", "archived"):
                        rounds.append(_round(contexts[name], args, name, number + args.rounds))
        finally:
            for context in set(contexts.values()):
                context.stop_all()
                forget_keys(backing.redis_url, context.prefix)
    section = _report(
        args, command, time.monotonic() - began, env, seeding, rounds, plans, archived
    )
    if not args.no_output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        with args.output.open("a") as out:
            out.write("\n" + section + "\n")
    return section, rounds


def _round(bench: BenchContext, args: argparse.Namespace, name: str, number: int) -> Round:
    people = seed.candidates(bench.secret, f"{bench.run_id}{name}{number}", args.candidates)
    with bench.service(f"hourglass-growth-{name}", HOURGLASS_FACTORY) as service:
        exam_id = seed.create_exam(service.url, bench.admin, QUESTIONS)
        starts = [Call("POST", f"{seed.API}/exams/{exam_id}/attempts", p.token) for p in people]
        # A short warm-up (connections, caches, the exam's copy) on other candidates.
        warm = seed.candidates(bench.secret, f"{bench.run_id}{name}{number}w", 64)
        on_uvloop(closed_loop(service.port, "start", [
            Call("POST", f"{seed.API}/exams/{exam_id}/attempts", p.token) for p in warm
        ], connections=args.connections))  # fmt: skip
        start = on_uvloop(closed_loop(service.port, "start", starts, connections=args.connections))
        # Bodies come in order of completion: each names its own candidate.
        attempts = [(json.loads(b)["id"], json.loads(b)["candidate_id"]) for b in start.bodies]
        tokens = {p.subject: p.token for p in people}
        saves = [
            Call("PUT", f"{seed.API}/attempts/{attempt_id}/answers/q{n % QUESTIONS + 1}",
                 tokens[owner], json.dumps({"option": seed.OPTIONS[n % 4]}).encode())
            for n, (attempt_id, owner) in enumerate(attempts)
        ]  # fmt: skip
        save = on_uvloop(closed_loop(service.port, "save", saves, connections=args.connections,
                                     seconds=args.save_seconds))  # fmt: skip
        passes = asyncio.run(reconciliation_passes(bench, args.passes))
        submits = [Call("POST", f"{seed.API}/attempts/{a}/submit", tokens[o]) for a, o in attempts]
        submit = on_uvloop(closed_loop(service.port, "submit", submits,
                                       connections=args.connections))  # fmt: skip
    result = Round(name, start, save, submit, passes)
    print(name, {op: round(result.figure(op).per_second) for op in ("start", "save", "submit")},
          f"pass median {1000 * _median(passes):.1f} ms", flush=True)  # fmt: skip
    return result


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _report(
    args: argparse.Namespace, command: str, elapsed: float, env: Environment, seeding: Seeding,
    rounds: list[Round], plans: list[tuple[str, str]],
    archived: tuple[ArchiveReport, float] | None,
) -> str:  # fmt: skip
    lines = [
        f"## {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — flat cost as data grows"
        " (issue 19)",
        "",
        f"- command: `{command}`",
        f"- run time {elapsed:.0f} s; {env.describe()}",
        f"- the big database, loaded by COPY: {seeding.attempts:,} finished attempts and"
        f" {seeding.events:,} events in {seeding.seconds:.0f} s; attempt_events with its indexes"
        f" {seeding.table_bytes / 2**30:.2f} GiB, attempts {seeding.attempt_bytes / 2**30:.2f} GiB",
        f"- {args.rounds} rounds on each database, alternating (fresh, big, …); a round: one"
        f" single-worker service, {args.connections} clients (closed loop): {args.candidates:,}"
        f" starts, {args.save_seconds:.0f} s of saves over those attempts, {args.passes}"
        f" reconciliation passes (with them in progress), {args.candidates:,} submits",
    ]
    if archived is not None:
        report, seconds = archived
        lines.append(
            f"- then `archive-events`' use case moved {report.events:,} events of"
            f" {report.attempts:,} finished attempts in {seconds:.0f} s ({report.batches} batches"
            f" of {args.archive_batch:,} attempts"
            + (", then VACUUM ANALYZE of both tables" if report.reclaimed else ", no vacuum")
            + f"), and {args.rounds} more rounds alternated"
            " between the fresh and the archived database"
        )
    for other in ("big", "archived"):
        if any(r.name == other for r in rounds):
            lines += ["", *_comparison(rounds, other, args.passes)]
    lines += ["", "EXPLAIN (ANALYZE, BUFFERS) of the hot statements on the big data:", ""]
    for title, plan in plans:
        lines += [f"- {title}:", "", "```", plan, "```", ""]
    return "\n".join(lines)


def _comparison(rounds: list[Round], other: str, passes: int) -> list[str]:
    """`other`'s rounds against the fresh round run just before each of them."""
    pairs = [(a, b) for a, b in itertools.pairwise(rounds) if a.name == "fresh" and b.name == other]
    fresh, them = [a for a, _ in pairs], [b for _, b in pairs]
    per_round = "; ".join(
        f"{op} " + ", ".join(
            f"{a.figure(op).per_second:,.0f} → {b.figure(op).per_second:,.0f}" for a, b in pairs
        )
        for op in ("save", "start", "submit")
    )  # fmt: skip
    lines = [
        f"Fresh against **{other}** (per round, fresh → {other}: {per_round}):",
        "",
        f"| operation | fresh database (median) | {other} database (median) | ratio"
        f" | p99 fresh / {other} | errors | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for operation in ("save", "start", "submit"):
        a = _median([r.figure(operation).per_second for r in fresh])
        b = _median([r.figure(operation).per_second for r in them])
        ratio = b / a if a else float("nan")
        errors = sum(r.figure(operation).recorder.error_count for r in fresh + them)
        p99a = _median([r.figure(operation).recorder.percentile(operation, 99) for r in fresh])
        p99b = _median([r.figure(operation).recorder.percentile(operation, 99) for r in them])
        lines.append(
            f"| {operation} | {a:,.0f} /s | {b:,.0f} /s | **{ratio:.0%}** |"
            f" {milliseconds(p99a)} / {milliseconds(p99b)} | {errors} | ≥ 90 % |"
        )
    passes_a = [p for r in fresh for p in r.passes]
    passes_b = [p for r in them for p in r.passes]
    lines.append(
        f"| reconciliation pass (median of {len(passes_b)}) | {milliseconds(_median(passes_a))}"
        f" | {milliseconds(_median(passes_b))} | – | max {milliseconds(max(passes_a))} /"
        f" {milliseconds(max(passes_b))} | 0 | < 50 ms |"
    )
    return lines


def main(argv: list[str] | None = None) -> None:
    args = parse(argv)
    words = ["uv", "run", "--group", "bench", "python", "-m", "bench.growth", *sys.argv[1:]]
    section, _ = run(args, shlex.join(words))
    print(section)


if __name__ == "__main__":
    main()
