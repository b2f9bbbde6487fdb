"""``uv run --group bench python -m bench.response_writes``: PostgreSQL's rate for the
adaptive response write, against the fixed-form save, as an attempt's responses grow.

pgbench (64 clients, prepared statements, each write alone in autocommit as the service
runs it) in a scratch database of its own on the given server (or an embedded one),
migrated to the current schema and dropped afterwards:

- save: the fixed-form save statement over attempts with 25 answers (the baseline);
- response, counted: the response write since migration 0004 (`response_count` and the
  event that stores the response);
- response, listed: the write before 0004, which appended to a JSONB list of responses
  (the column is added to the scratch database only).

The response writes run on attempts that already hold 10 and 40 responses, a group of
attempts per write and length. The writes alternate over several rounds of short runs;
the conditions that depend on the engine's count are written so that they always hold
(`>= 0`) but still read the count or the list. Prints a table and appends it with the
command line to today's file under bench/results/.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import uuid
from pathlib import Path

import asyncpg

from bench.baselines import PGBENCH_SCRIPT
from bench.scratch_database import beside, scratch_database
from bench.sections import command_line, publish, todays_results
from bench.servers import backing_servers

LENGTHS = (10, 40)
QUESTIONS = 50

_PICK = "\\set n random(1, {attempts})\n\\set q random(1, 500)\n"
_CONDITIONS = """
    WHERE id = (SELECT id FROM {table} WHERE n = :n)
      AND status = 'in_progress' AND paused_at IS NULL
      AND deadline > now() - interval '2 seconds'
      AND (NULL::int IS NULL OR version = NULL::int)"""
_EVENT = """
INSERT INTO attempt_events (attempt_id, version, kind, at, data)
SELECT id, version, 'response_recorded', now(),
       jsonb_build_object('item_id', 'i' || :q, 'option', 'A', 'correct', true)
FROM updated
RETURNING version;
"""
# src/infrastructure/postgres/answer_writes.py's RECORD_RESPONSE with a request's values.
COUNTED = (
    _PICK
    + """WITH updated AS (
    UPDATE attempts
    SET response_count = response_count + 1,
        answers = answers || jsonb_build_object('i' || :q, 'A'),
        version = version + 1, updated_at = now()"""
    + _CONDITIONS
    + """
      AND response_count >= 0
    RETURNING id, version
)"""
    + _EVENT
)
# The same write as revision 0003 had it.
LISTED = (
    _PICK
    + """WITH updated AS (
    UPDATE attempts
    SET responses = responses || jsonb_build_array(
            jsonb_build_object('item_id', 'i' || :q, 'option', 'A', 'correct', true)),
        answers = answers || jsonb_build_object('i' || :q, 'A'),
        version = version + 1, updated_at = now()"""
    + _CONDITIONS
    + """
      AND jsonb_array_length(responses) >= 0
    RETURNING id, version
)"""
    + _EVENT
)

_ATTEMPT = """
INSERT INTO attempts (id, exam_id, candidate_id, number, mode, status, started_at,
    duration_seconds, time_multiplier, extra_seconds, extension_seconds, paused_seconds,
    grace_seconds, deadline, version, answers, updated_at, response_count, responses)
SELECT gen_random_uuid(), $1, $2 || g, 1, $3, 'in_progress', now(), 86400, 1, 0, 0, 0, 0,
    now() + interval '1 day', $4,
    (SELECT jsonb_object_agg('i' || i, 'A') FROM generate_series(1, $4) i),
    now(), $5,
    (SELECT coalesce(jsonb_agg(jsonb_build_object('item_id', 'i' || i, 'option', 'A',
                                                  'correct', true)), '[]'::jsonb)
     FROM generate_series(1, $6) i)
FROM generate_series(1, $7) g
"""


async def _seed(url: str, attempts: int) -> None:
    connection = await asyncpg.connect(url)
    try:
        # The list of responses as revision 0003 kept it, in this scratch database only.
        await connection.execute(
            "ALTER TABLE attempts ADD COLUMN responses jsonb NOT NULL DEFAULT '[]'::jsonb"
        )
        fixed, adaptive = uuid.uuid4(), uuid.uuid4()
        await connection.execute(
            "INSERT INTO exams (id, title, mode, duration_seconds, grace_seconds, max_attempts)"
            " VALUES ($1, 'fixed', 'fixed', 86400, 0, 1), ($2, 'cat', 'adaptive', 86400, 0, 1)",
            fixed,
            adaptive,
        )
        groups = [("save", fixed, "fixed", 25, 0, 0)]
        for length in LENGTHS:
            groups.append((f"counted{length}", adaptive, "adaptive", length, length, 0))
            groups.append((f"listed{length}", adaptive, "adaptive", length, 0, length))
        for name, exam, mode, answers, count, listed in groups:
            await connection.execute(_ATTEMPT, exam, name, mode, answers, count, listed, attempts)
            await connection.execute(
                f"CREATE TABLE ids_{name} AS SELECT row_number() OVER () AS n, id"
                f" FROM attempts WHERE candidate_id LIKE '{name}%'"
            )
            await connection.execute(f"ALTER TABLE ids_{name} ADD PRIMARY KEY (n)")
        await connection.execute("VACUUM ANALYZE")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()


def _scripts(directory: Path, attempts: int) -> dict[str, Path]:
    """Each write's pgbench script, by its label in the table; the save comes first."""
    texts = {
        "save (fixed form, 25 answers)": PGBENCH_SCRIPT.format(
            attempts=attempts, questions=QUESTIONS, table="ids_save"
        )
    }
    for length in LENGTHS:
        for kind, statement in (("counted", COUNTED), ("listed", LISTED)):
            label = f"response, {kind} ({length} responses before)"
            texts[label] = statement.format(attempts=attempts, table=f"ids_{kind}{length}")
    scripts = {}
    for number, (label, text) in enumerate(texts.items()):
        scripts[label] = directory / f"write-{number}.sql"
        scripts[label].write_text(text)
    return scripts


def _pgbench(url: str, script: Path, clients: int, seconds: int) -> float:
    run = subprocess.run(
        [shutil.which("pgbench") or "pgbench", "--no-vacuum", "--protocol=prepared",
         f"--client={clients}", f"--jobs={min(2, clients)}", f"--time={seconds}",
         f"--file={script}", url],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    found = re.search(r"tps = ([\d.]+)", run.stdout)
    if run.returncode != 0 or found is None:
        raise RuntimeError(f"pgbench failed:\n{run.stdout}\n{run.stderr}")
    return float(found.group(1))


def _table(found: dict[str, list[float]]) -> str:
    saves = next(iter(found.values()))
    lines = [
        "| write | tx/s per round | median | vs save (median of the rounds' ratios) |",
        "|---|---|---|---|",
    ]
    for name, rates in found.items():
        ratios = [rate / save for rate, save in zip(rates, saves, strict=True)]
        lines.append(
            f"| {name} | {', '.join(f'{r:,.0f}' for r in rates)}"
            f" | {statistics.median(rates):,.0f} | {100 * statistics.median(ratios):.0f} % |"
        )
    return "\n".join(lines)


async def _server_version(url: str) -> str:
    connection = await asyncpg.connect(url)
    try:
        return "PostgreSQL " + str(await connection.fetchval("SHOW server_version"))
    finally:
        await connection.close()


def measure(
    database_url: str, *, attempts: int, clients: int, seconds: int, rounds: int
) -> dict[str, list[float]]:
    """tx/s per round of every write, in a scratch database created and dropped here."""
    server = beside(database_url, "postgres")
    with scratch_database(server, "hourglass_writes") as scratch:
        asyncio.run(_seed(scratch, attempts))
        with tempfile.TemporaryDirectory(prefix="hourglass-writes-") as directory:
            scripts = _scripts(Path(directory), attempts)
            found: dict[str, list[float]] = {name: [] for name in scripts}
            for number in range(rounds):
                order = list(scripts) if number % 2 == 0 else list(reversed(scripts))
                for script in order:
                    found[script].append(_pgbench(scratch, scripts[script], clients, seconds))
        return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.response_writes",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--database-url", help="postgresql://… (default: embedded)")
    parser.add_argument("--attempts", type=int, default=20_000, help="per write and length")
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=int, default=4, help="per run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=todays_results())
    parser.add_argument("--no-output", action="store_true")
    args = parser.parse_args(argv)
    with contextlib.ExitStack() as stack:
        url, origin = args.database_url, "given"
        if url is None:
            backing = stack.enter_context(backing_servers(None, None))
            url, origin = backing.database_url, backing.origin
        found = measure(url, attempts=args.attempts, clients=args.clients,
                        seconds=args.seconds, rounds=args.rounds)  # fmt: skip
        server = asyncio.run(_server_version(url))
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    command = command_line("bench.response_writes", argv)
    grows = args.seconds * args.rounds
    section = (
        f"## {now} — adaptive response writes in PostgreSQL\n\n- command: `{command}`\n"
        f"- {server} ({origin}); pgbench, {args.clients} clients, prepared, each write"
        f" alone in autocommit; {args.attempts:,} attempts per write and length, runs of"
        f" {args.seconds} s alternating over {args.rounds} rounds (so each attempt gains a"
        f" few responses over the {grows} s a write runs); os.cpu_count() = {os.cpu_count()}"
        f"\n\n{_table(found)}\n"
    )
    publish(section, None if args.no_output else args.output)


if __name__ == "__main__":
    main()
