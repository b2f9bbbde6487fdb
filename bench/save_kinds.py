"""Saves of several kinds against each other, through the service, in the same run.

What `bench.typed_saves` and `bench.section_saves` share: one service process on its own
backing servers (the per-candidate write limit lifted: it bounds a person, and a bench is
many requests per candidate), candidates started over HTTP, and the kinds alternating
over several rounds of short wrk runs, so drifting machine load falls on each alike. The
table gives each kind's median rate over the rounds and its share of the first kind's.
"""

from __future__ import annotations

import argparse
import datetime
import secrets
import statistics
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from bench import seed
from bench.config import SERVER
from bench.loadgen import run_wrk
from bench.sections import command_line, publish, todays_results
from bench.servers import HOURGLASS_FACTORY, ServiceProcess, backing_servers, free_port
from bench.servers import server_command as command_for
from infrastructure.postgres.migrations import upgrade_database

API = seed.API


def arguments(description: str | None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--database-url", help="PostgreSQL to use (default: embedded)")
    parser.add_argument("--redis-url", help="Redis to use (default: embedded Valkey)")
    parser.add_argument("--attempts", type=int, default=200, help="attempts per kind")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0, help="each measured run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-output", action="store_true", help="print only")
    return parser


@contextmanager
def service(args: argparse.Namespace, scratch: Path, name: str) -> Iterator[tuple[str, str]]:
    """The service's URL and its JWT secret, on fresh (or the given) backing servers."""
    with backing_servers(args.database_url, args.redis_url) as backing:
        upgrade_database(backing.database_url)
        secret = secrets.token_urlsafe(32)
        environment = {
            "HOURGLASS_DATABASE_URL": backing.database_url,
            "HOURGLASS_REDIS_URL": backing.redis_url,
            "HOURGLASS_JWT_SECRET": secret,
            "HOURGLASS_REDIS_KEY_PREFIX": f"bench-{name}-{secrets.token_hex(3)}:",
            "HOURGLASS_LOG_LEVEL": "WARNING",
            "HOURGLASS_DATA_DIR": str(scratch / "data"),
            "HOURGLASS_RATE_LIMIT_WRITES_PER_SECOND": "0",
        }
        port = free_port()
        command = command_for(HOURGLASS_FACTORY, server=SERVER, workers=1, port=port)
        process = ServiceProcess(f"hourglass-{name}", command, environment, port, scratch)
        process.start()
        try:
            yield process.url, secret
        finally:
            process.stop()


def created_exam(url: str, secret: str, body: dict[str, object]) -> str:
    status, exam = seed.call(url, "POST", f"{API}/exams", seed.admin_token(secret), body)
    if status != 201:
        raise RuntimeError(f"creating the exam {body['title']!r} answered {status}: {exam}")
    return str(exam["id"])


def started(url: str, secret: str, exam_id: str, count: int, kind: str) -> list[tuple[str, str]]:
    """`count` candidates' attempts of the exam: (attempt id, candidate token)."""
    people = seed.candidates(secret, secrets.token_hex(4), count, kind[0])
    attempts = []
    for person in people:
        status, attempt = seed.call(url, "POST", f"{API}/exams/{exam_id}/attempts", person.token)
        if status not in (200, 201):
            raise RuntimeError(f"starting an attempt answered {status}: {attempt}")
        attempts.append((attempt["id"], person.token))
    return attempts


def alternate(
    url: str, files: Mapping[str, Path], args: argparse.Namespace
) -> dict[str, list[float]]:
    """Each kind's rate per round (after one unmeasured second each), the order of the
    kinds reversed every other round; any failed save stops the bench."""
    kinds = tuple(files)
    for kind in kinds:
        run_wrk(url, files[kind], connections=args.connections, threads=1, seconds=1)
    rates: dict[str, list[float]] = {kind: [] for kind in kinds}
    for round_number in range(args.rounds):
        for kind in kinds if round_number % 2 == 0 else tuple(reversed(kinds)):
            result = run_wrk(
                url, files[kind], connections=args.connections, threads=1, seconds=args.seconds
            )
            if bad := result.failures():
                raise RuntimeError(f"{kind} saves: {bad} failed ({result.statuses})")
            rates[kind].append(result.rps)
    return rates


def share_table(rates: Mapping[str, Sequence[float]], baseline_label: str) -> str:
    """A row per kind: its median, its share of the first kind's median, every round."""
    baseline = statistics.median(next(iter(rates.values())))
    rows = [f"| save | median req/s | of {baseline_label} | rounds (req/s) |", "|---|---|---|---|"]
    for kind, each in rates.items():
        median = statistics.median(each)
        listed = ", ".join(f"{rate:.0f}" for rate in each)
        rows.append(f"| {kind} | {median:.0f} | {median / baseline:.0%} | {listed} |")
    return "\n".join(rows)


def publish_table(title: str, table: str, module: str, args: argparse.Namespace,
                  argv: list[str] | None) -> None:  # fmt: skip
    when = datetime.datetime.now(datetime.UTC)
    section = "\n".join([
        f"## {title}, {when:%Y-%m-%d %H:%M} UTC",
        "",
        table,
        "",
        f"- command: `{command_line(module, argv)}`",
    ])  # fmt: skip
    publish(section, None if args.no_output else todays_results())
