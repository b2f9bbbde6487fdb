"""A year of finished attempts and their events, bulk-loaded with COPY (not the API).

`attempt_events`' (attempt_id, id) index is dropped for the load and built again after
it (a sorted build instead of 20,000,000 random inserts), and foreign-key triggers are
off for the loading session (`session_replication_role = replica`): both are what a
bulk load of trusted rows does; the result is the schema the migrations made.
"""

from __future__ import annotations

import json
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import asyncpg

QUESTIONS = 20
_CHUNK = 20_000  # attempts per COPY of their events


@dataclass(frozen=True, slots=True)
class Seeding:
    attempts: int
    events: int
    seconds: float
    table_bytes: int  # attempt_events with its indexes afterwards
    attempt_bytes: int


async def seed_history(
    database_url: str, exam_ids: list[str], *, attempts: int, events: int
) -> Seeding:
    per_attempt = max(2, round(events / attempts))  # started, answers…, submitted
    began = time.monotonic()
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute("SET session_replication_role = replica")
        await connection.execute("SET maintenance_work_mem = '512MB'")
        await connection.execute("DROP INDEX IF EXISTS ix_attempt_events_attempt_id_id")
        rng = random.Random(19)
        year_ago = datetime.now(UTC) - timedelta(days=365)
        done = 0
        while done < attempts:
            count = min(_CHUNK, attempts - done)
            rows = [_attempt(rng, exam_ids, year_ago, done + i, per_attempt) for i in range(count)]
            await connection.copy_records_to_table(
                "attempts", records=[row for row, _ in rows], columns=_ATTEMPT_COLUMNS
            )
            await connection.copy_records_to_table(
                "attempt_events",
                records=_events(rows, per_attempt),
                columns=("attempt_id", "version", "kind", "at", "data"),
            )
            done += count
        await connection.execute(
            "CREATE INDEX ix_attempt_events_attempt_id_id ON attempt_events (attempt_id, id)"
        )
        # As autovacuum would have by now: statistics, and the visibility map.
        await connection.execute("VACUUM ANALYZE attempts")
        await connection.execute("VACUUM ANALYZE attempt_events")
        # Write the load's dirty pages now: a checkpoint in the background would otherwise
        # share the disk with the measured rounds (a year-old database has none pending).
        await connection.execute("CHECKPOINT")
        loaded = await connection.fetchval("SELECT count(*) FROM attempt_events")
        table_bytes = await connection.fetchval("SELECT pg_total_relation_size('attempt_events')")
        attempt_bytes = await connection.fetchval("SELECT pg_total_relation_size('attempts')")
    finally:
        await connection.close()
    return Seeding(attempts, loaded, time.monotonic() - began, table_bytes, attempt_bytes)


_ATTEMPT_COLUMNS = (
    "id", "exam_id", "candidate_id", "number", "mode", "status", "started_at",
    "duration_seconds", "time_multiplier", "extra_seconds", "extension_seconds",
    "paused_seconds", "closes_at", "grace_seconds", "deadline", "version", "answers",
    "response_count", "result", "updated_at",
)  # fmt: skip


def _attempt(
    rng: random.Random, exam_ids: list[str], year_ago: datetime, index: int, per_attempt: int
) -> tuple[tuple[object, ...], tuple[uuid.UUID, datetime]]:
    started = year_ago + timedelta(seconds=rng.uniform(0, 360 * 86400))
    answers = {f"q{n}": rng.choice("ABCD") for n in range(1, QUESTIONS + 1)}
    submitted = started + timedelta(minutes=50)
    result = {
        "status": "submitted", "score": rng.randint(0, QUESTIONS), "max_score": QUESTIONS,
        "answered": QUESTIONS, "correct": rng.randint(0, QUESTIONS),
        "submitted_at": submitted.isoformat(), "time_taken_seconds": 3000.0,
    }  # fmt: skip
    attempt_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    row = (
        attempt_id, uuid.UUID(exam_ids[index % len(exam_ids)]), f"history-{index}", 1,
        "fixed", "submitted", started, 3600.0, 1.0, 0.0, 0.0, 0.0, None, 30.0,
        started + timedelta(hours=1), per_attempt - 1, json.dumps(answers), 0,
        json.dumps(result), submitted,
    )  # fmt: skip
    return row, (attempt_id, started)


def _events(
    rows: list[tuple[tuple[object, ...], tuple[uuid.UUID, datetime]]], per_attempt: int
) -> Iterator[tuple[object, ...]]:
    saved = [json.dumps({"question_id": f"q{n % QUESTIONS + 1}", "answer": "B"}) for n in range(50)]
    for _, (attempt_id, started) in rows:
        yield attempt_id, 0, "started", started, '{"duration_seconds": 3600}'
        for version in range(1, per_attempt - 1):
            at = started + timedelta(seconds=15 * version)
            yield attempt_id, version, "answer_saved", at, saved[version % 50]
        yield attempt_id, per_attempt - 1, "submitted", started + timedelta(minutes=50), "{}"
