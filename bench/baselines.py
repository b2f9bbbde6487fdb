"""Physical baselines on the same servers: pgbench with the save path's SQL, redis-benchmark."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit
from uuid import UUID

import asyncpg

from bench.loadgen import reap

ID_TABLE = "bench_attempt_ids"

# The save path's statement (src/infrastructure/postgres/answer_writes.py) with the values
# a request would bind. Like the service, it runs on its own in autocommit: one statement,
# one transaction, no BEGIN/COMMIT round trips. The attempt is picked at random through a
# small id table.
PGBENCH_SCRIPT = """\\set n random(1, {attempts})
\\set q random(1, {questions})
WITH updated AS (
    UPDATE attempts
    SET answers = answers || jsonb_build_object('q' || :q, 'B'), version = version + 1,
        updated_at = now()
    WHERE id = (SELECT id FROM {table} WHERE n = :n)
      AND status = 'in_progress'
      AND paused_at IS NULL
      AND deadline > now() - interval '2 seconds'
      AND (NULL::int IS NULL OR version = NULL::int)
    RETURNING id, version, deadline
), logged AS (
    INSERT INTO attempt_events (attempt_id, version, kind, at, data)
    SELECT id, version, 'answer_saved', now(),
           CASE WHEN deadline <= now()
                THEN jsonb_build_object('question_id', 'q' || :q, 'option', 'B', 'late', true)
                ELSE jsonb_build_object('question_id', 'q' || :q, 'option', 'B') END
    FROM updated
)
SELECT version, deadline, deadline <= now() AS late FROM updated;
"""


@dataclass(frozen=True, slots=True)
class PgbenchResult:
    clients: int
    tps: float
    latency_ms: float
    transactions: int
    failed: int
    generator_cpu_seconds: float
    seconds: float
    # From pgbench's per-transaction log; None where the log could not be read.
    p50_ms: float | None = None
    p99_ms: float | None = None

    @property
    def generator_share(self) -> float:
        cores = os.cpu_count() or 1
        return self.generator_cpu_seconds / (self.seconds * cores) if self.seconds else 0.0


def pgbench_available() -> bool:
    return shutil.which("pgbench") is not None


def prepare_ids(database_url: str, attempt_ids: Sequence[UUID]) -> None:
    asyncio.run(_prepare(database_url, list(attempt_ids)))


async def _prepare(database_url: str, attempt_ids: list[UUID]) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {ID_TABLE}")
        await connection.execute(f"CREATE TABLE {ID_TABLE} (n int PRIMARY KEY, id uuid NOT NULL)")
        await connection.copy_records_to_table(
            ID_TABLE, records=[(n, a) for n, a in enumerate(attempt_ids, start=1)]
        )
        await connection.execute(f"ANALYZE {ID_TABLE}")
    finally:
        await connection.close()


def drop_ids(database_url: str) -> None:
    asyncio.run(_drop(database_url))


async def _drop(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(f"DROP TABLE IF EXISTS {ID_TABLE}")
    finally:
        await connection.close()


def run_pgbench(
    database_url: str,
    script_dir: Path,
    *,
    clients: int,
    seconds: float,
    attempts: int,
    questions: int,
    threads: int = 2,
) -> PgbenchResult:
    script = script_dir / "save_answer.sql"
    script.write_text(PGBENCH_SCRIPT.format(attempts=attempts, questions=questions, table=ID_TABLE))
    command = [
        shutil.which("pgbench") or "pgbench",
        "--no-vacuum",
        "--protocol=prepared",
        f"--client={clients}",
        f"--jobs={min(threads, clients)}",
        f"--time={max(1, round(seconds))}",
        f"--file={script}",
        # One line per transaction, for latency percentiles (pgbench prints only the mean).
        "--log",
        f"--log-prefix={script_dir / 'pgbench_log'}",
        _libpq_url(database_url),
    ]
    for old_log in script_dir.glob("pgbench_log.*"):
        old_log.unlink()
    out_path, err_path = script_dir / "pgbench.out", script_dir / "pgbench.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
    usage = reap(process, seconds + 60)
    text = out_path.read_text()
    if process.returncode != 0 or "tps" not in text:
        raise RuntimeError(
            f"pgbench failed ({process.returncode}):\n{text}\n{err_path.read_text()}"
        )
    tps = float(_search(r"tps = ([\d.]+)", text))
    p50, p99 = _logged_latencies(script_dir)
    return PgbenchResult(
        clients=clients,
        tps=tps,
        latency_ms=float(_search(r"latency average = ([\d.]+) ms", text)),
        transactions=int(_search(r"number of transactions actually processed: (\d+)", text)),
        failed=int(_search(r"number of failed transactions: (\d+)", text, "0")),
        generator_cpu_seconds=usage,
        seconds=max(1, round(seconds)),
        p50_ms=p50,
        p99_ms=p99,
    )


def _logged_latencies(script_dir: Path) -> tuple[float | None, float | None]:
    """p50 and p99 in ms from pgbench's logs: `client tx latency_us script epoch us` lines."""
    latencies: list[int] = []
    for log in script_dir.glob("pgbench_log.*"):
        for line in log.read_text().splitlines():
            fields = line.split()
            if len(fields) >= 3 and fields[2].isdigit():
                latencies.append(int(fields[2]))
        log.unlink()
    if not latencies:
        return None, None
    latencies.sort()

    def quantile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1000

    return quantile(0.50), quantile(0.99)


def _search(pattern: str, text: str, default: str | None = None) -> str:
    found = re.search(pattern, text)
    if found:
        return found.group(1)
    if default is not None:
        return default
    raise RuntimeError(f"pgbench output without {pattern!r}:\n{text}")


def _libpq_url(url: str) -> str:
    """libpq takes postgresql:// URLs as they are; drop a SQLAlchemy driver suffix."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)


@dataclass(frozen=True, slots=True)
class RedisBenchResult:
    clients: int
    rps: float
    p50_ms: float | None


def run_redis_benchmark(redis_url: str, *, clients: int, requests: int) -> RedisBenchResult | None:
    """GET throughput of the Redis server itself (redis-benchmark), for context."""
    binary = shutil.which("redis-benchmark") or shutil.which("valkey-benchmark")
    if binary is None:
        return None
    parts = urlsplit(redis_url)
    command = [
        binary, "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 6379),
        "-c", str(clients), "-n", str(requests), "-t", "get", "--csv",
    ]  # fmt: skip
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return None
    for line in out.stdout.splitlines():
        cells = [cell.strip('"') for cell in line.split(",")]
        if cells and cells[0].upper().startswith("GET"):
            p50 = float(cells[4]) if len(cells) > 4 else None
            return RedisBenchResult(clients, float(cells[1]), p50)
    return None


def settle_database(database_url: str) -> None:
    """After seeding: vacuum and analyse, then checkpoint, so the first measured run does
    not pay for the seed's aftermath (autovacuum of thousands of new rows, dirty pages)
    while the runs after it do not. Without this the first server measured lost ~30 %."""
    asyncio.run(_settle(database_url))


async def _settle(database_url: str) -> None:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("VACUUM (ANALYZE) attempts, attempt_events")
        with contextlib.suppress(asyncpg.InsufficientPrivilegeError):
            await connection.execute("CHECKPOINT")  # superusers only (embedded: yes)
    finally:
        await connection.close()
