"""``uv run --group bench python -m bench.section_saves``: the save into a running section
against the save into an exam without sections, through the service, in the same run.

Two exams of 40 single-choice questions: one without sections (today's single section),
one in two sections (the first timed, free navigation, where every save goes; the second
pending), so every sectioned save passes the conditional write's two extra tests (the
question is among `open_questions`, the section's deadline has not passed). The kinds
alternate over several rounds of short runs, so drifting machine load falls on each
alike; the table gives each kind's median rate and its share of the plain rate (the
issue asks for at least 90 %). The per-candidate write limit is lifted for the run.
Prints a table and appends it with the command line to today's file under bench/results/.
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
from bench.typed_saves import started
from infrastructure.postgres.migrations import upgrade_database

API = seed.API
QUESTIONS = 40
SAVED = 20  # the first section's questions: every save goes to one of them
KEYS = ("A", "B", "C", "D")
KINDS = ("plain", "sectioned")


def exam_body(kind: str) -> dict[str, object]:
    options = [{"key": key, "text": f"Option {key}"} for key in KEYS]
    ids = [f"q{number}" for number in range(1, QUESTIONS + 1)]
    body: dict[str, object] = {
        "title": f"Bench {kind} saves",
        "duration_seconds": seed.EXAM_SECONDS,
        "questions": [
            {"id": qid, "stem": "Pick one", "options": options, "correct_key": "B"} for qid in ids
        ],
    }
    if kind == "sectioned":
        body["sections"] = [
            {
                "id": "first",
                "duration_seconds": seed.EXAM_SECONDS // 2,
                "question_ids": ids[:SAVED],
            },
            {"id": "second", "question_ids": ids[SAVED:]},
        ]
    return body


def save_lines(attempts: list[tuple[str, str]], count: int) -> Iterator[RequestLine]:
    for index in range(count):
        attempt_id, token = attempts[index % len(attempts)]
        path = f"{API}/attempts/{attempt_id}/answers/q{index % SAVED + 1}"
        body = json.dumps({"option": KEYS[index % len(KEYS)]}, separators=(",", ":"))
        yield RequestLine("PUT", path, token, body)


def run(args: argparse.Namespace, scratch: Path) -> dict[str, list[float]]:
    rates: dict[str, list[float]] = {kind: [] for kind in KINDS}
    with backing_servers(args.database_url, args.redis_url) as backing:
        upgrade_database(backing.database_url)
        secret = secrets.token_urlsafe(32)
        environment = {
            "HOURGLASS_DATABASE_URL": backing.database_url,
            "HOURGLASS_REDIS_URL": backing.redis_url,
            "HOURGLASS_JWT_SECRET": secret,
            "HOURGLASS_REDIS_KEY_PREFIX": f"bench-sections-{secrets.token_hex(3)}:",
            "HOURGLASS_LOG_LEVEL": "WARNING",
            "HOURGLASS_DATA_DIR": str(scratch / "data"),
            "HOURGLASS_RATE_LIMIT_WRITES_PER_SECOND": "0",
        }
        port = free_port()
        command = command_for(HOURGLASS_FACTORY, server=SERVER, workers=1, port=port)
        service = ServiceProcess("hourglass-sections", command, environment, port, scratch)
        service.start()
        try:
            admin = seed.admin_token(secret)
            files = {}
            for kind in KINDS:
                status, exam = seed.call(
                    service.url, "POST", f"{API}/exams", admin, exam_body(kind)
                )
                if status != 201:
                    raise RuntimeError(f"creating the {kind} exam answered {status}: {exam}")
                attempts = started(service.url, secret, exam["id"], args.attempts, kind)
                lines = save_lines(attempts, args.attempts * 20)
                files[kind] = write_requests(scratch / f"{kind}.txt", lines)
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
                    if bad := result.failures():
                        raise RuntimeError(f"{kind} saves: {bad} failed ({result.statuses})")
                    rates[kind].append(result.rps)
        finally:
            service.stop()
    return rates


def table(rates: dict[str, list[float]]) -> str:
    baseline = statistics.median(rates["plain"])
    rows = ["| save | median req/s | of no sections | rounds (req/s) |", "|---|---|---|---|"]
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
    with tempfile.TemporaryDirectory(prefix="hourglass-sections-") as scratch:
        rates = run(args, Path(scratch))
    when = datetime.datetime.now(datetime.UTC)
    section = "\n".join([
        f"## Saves into a section, {when:%Y-%m-%d %H:%M} UTC",
        "",
        table(rates),
        "",
        f"- command: `{command_line('bench.section_saves', argv)}`",
    ])  # fmt: skip
    publish(section, None if args.no_output else todays_results())


if __name__ == "__main__":
    main()
