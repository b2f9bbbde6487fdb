"""``uv run --group bench python -m bench.typed_saves``: the save of a `multiple` and of a
`text` answer against a single-choice save, through the service, in the same run.

One exam holds the three types (20 questions each); each candidate's attempt gets one
kind of save only, PUT by wrk with the typed body (`{"response": ["A", "C"]}`,
`{"response": "photosynthesis"}`, `{"option": "B"}`). The kinds alternate over several
rounds of short runs, so drifting machine load falls on each alike; the table gives each
kind's median rate over the rounds and its share of the single-choice rate (the issue
asks for at least 90 %). The per-candidate write limit is lifted for the run: it bounds a
person, and the bench is many requests per candidate. Prints a table and appends it
with the command line to today's file under bench/results/.
"""

from __future__ import annotations

import argparse
import datetime
import json
import secrets
import statistics
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench import seed
from bench.config import SERVER
from bench.loadgen import RequestLine, run_wrk, write_requests
from bench.sections import command_line, publish, todays_results
from bench.servers import HOURGLASS_FACTORY, ServiceProcess, backing_servers, free_port
from bench.servers import server_command as command_for
from infrastructure.postgres.migrations import upgrade_database

API = seed.API
QUESTIONS = 20
KEYS = ("A", "B", "C", "D")
WORDS = ("photosynthesis", "Photo synthesis", "  chlorophyll  ", "respiration", "osmosis")
KINDS = ("single", "multiple", "text")


def exam_body() -> dict[str, object]:
    options = [{"key": key, "text": f"Option {key}"} for key in KEYS]
    questions: list[dict[str, object]] = []
    for number in range(1, QUESTIONS + 1):
        questions += [
            {"id": f"s{number}", "stem": "Pick one", "options": options, "correct_key": "B"},
            {
                "id": f"m{number}",
                "type": "multiple",
                "stem": "Pick all that apply",
                "options": options,
                "correct_keys": ["A", "C"],
                "scoring": "partial",
            },
            {
                "id": f"t{number}",
                "type": "text",
                "stem": "Name the process",
                "accepted": ["photosynthesis"],
                "pattern": "photo ?synthesis",
                "max_length": 100,
            },
        ]
    return {
        "title": "Bench typed saves",
        "duration_seconds": seed.EXAM_SECONDS,
        "questions": questions,
    }


def bodies(kind: str, index: int) -> tuple[str, dict[str, object]]:
    number = index % QUESTIONS + 1
    if kind == "single":
        return f"s{number}", {"option": KEYS[index % len(KEYS)]}
    if kind == "multiple":
        return f"m{number}", {"response": [KEYS[index % 4], KEYS[(index + 2) % 4]]}
    return f"t{number}", {"response": WORDS[index % len(WORDS)]}


def save_lines(kind: str, attempts: list[tuple[str, str]], count: int) -> Iterator[RequestLine]:
    for index in range(count):
        attempt_id, token = attempts[index % len(attempts)]
        question, body = bodies(kind, index)
        path = f"{API}/attempts/{attempt_id}/answers/{question}"
        yield RequestLine("PUT", path, token, json.dumps(body, separators=(",", ":")))


def started(url: str, secret: str, exam_id: str, count: int, kind: str) -> list[tuple[str, str]]:
    people = seed.candidates(secret, secrets.token_hex(4), count, kind[0])
    attempts = []
    for person in people:
        status, attempt = seed.call(url, "POST", f"{API}/exams/{exam_id}/attempts", person.token)
        if status not in (200, 201):
            raise RuntimeError(f"starting an attempt answered {status}: {attempt}")
        attempts.append((attempt["id"], person.token))
    return attempts


def run(args: argparse.Namespace, scratch: Path) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with backing_servers(args.database_url, args.redis_url) as backing:
        upgrade_database(backing.database_url)
        secret = secrets.token_urlsafe(32)
        environment = {
            "HOURGLASS_DATABASE_URL": backing.database_url,
            "HOURGLASS_REDIS_URL": backing.redis_url,
            "HOURGLASS_JWT_SECRET": secret,
            "HOURGLASS_REDIS_KEY_PREFIX": f"bench-typed-{secrets.token_hex(3)}:",
            "HOURGLASS_LOG_LEVEL": "WARNING",
            "HOURGLASS_DATA_DIR": str(scratch / "data"),
            "HOURGLASS_RATE_LIMIT_WRITES_PER_SECOND": "0",
        }
        port = free_port()
        command = command_for(HOURGLASS_FACTORY, server=SERVER, workers=1, port=port)
        service = ServiceProcess("hourglass-typed", command, environment, port, scratch)
        service.start()
        try:
            status, exam = seed.call(
                service.url, "POST", f"{API}/exams", seed.admin_token(secret), exam_body()
            )
            if status != 201:
                raise RuntimeError(f"creating the exam answered {status}: {exam}")
            files = {
                kind: write_requests(
                    scratch / f"{kind}.txt",
                    save_lines(
                        kind,
                        started(service.url, secret, exam["id"], args.attempts, kind),
                        args.attempts * 20,
                    ),
                )
                for kind in KINDS
            }
            for kind in KINDS:  # warm-up, unmeasured
                run_wrk(service.url, files[kind], connections=args.connections, threads=1,
                        seconds=1)  # fmt: skip
            for round_number in range(args.rounds):
                order = KINDS if round_number % 2 == 0 else tuple(reversed(KINDS))
                for kind in order:
                    result = run_wrk(
                        service.url, files[kind], connections=args.connections, threads=1,
                        seconds=args.seconds,
                    )  # fmt: skip
                    bad = result.failures()
                    if bad:
                        raise RuntimeError(f"{kind} saves: {bad} failed ({result.statuses})")
                    rates[kind].append(result.rps)
        finally:
            service.stop()
    return rates


def table(rates: dict[str, list[float]]) -> str:
    baseline = statistics.median(rates["single"])
    rows = ["| save | median req/s | of single choice | rounds (req/s) |", "|---|---|---|---|"]
    for kind in KINDS:
        median = statistics.median(rates[kind])
        each = ", ".join(f"{rate:.0f}" for rate in rates[kind])
        rows.append(f"| {kind} | {median:.0f} | {median / baseline:.0%} | {each} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url", help="PostgreSQL to use (default: embedded)")
    parser.add_argument("--redis-url", help="Redis to use (default: embedded Valkey)")
    parser.add_argument("--attempts", type=int, default=200, help="attempts per kind")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0, help="each measured run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-output", action="store_true", help="print only")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="hourglass-typed-") as scratch:
        rates = run(args, Path(scratch))
    when = datetime.datetime.now(datetime.UTC)
    section = "\n".join([
        f"## Typed saves, {when:%Y-%m-%d %H:%M} UTC",
        "",
        table(rates),
        "",
        f"- command: `{command_line('bench.typed_saves', argv)}`",
    ])  # fmt: skip
    publish(section, None if args.no_output else todays_results())


if __name__ == "__main__":
    main()
