"""EXPLAIN (ANALYZE, BUFFERS) of the hot statements, on whatever data the database holds.

The save is the adapter's own statement; the others are written here as the adapters
send them (their WHERE clauses and orderings). Each runs in a transaction rolled back."""

from __future__ import annotations

from datetime import UTC, datetime

import asyncpg

from infrastructure.postgres.answer_writes import SAVE_ANSWER

_STATEMENTS = (
    ("save: the conditional answer write, as answer_writes.py sends it", "save", SAVE_ANSWER),
    (
        "start: the candidate's attempt in progress, and their attempts' count",
        "candidate",
        """
SELECT (SELECT id FROM attempts WHERE exam_id = $1 AND candidate_id = $2
        AND status = 'in_progress'),
       (SELECT count(*) FROM attempts WHERE exam_id = $1 AND candidate_id = $2)""",
    ),
    (
        "reconciliation: overdue attempts in progress (overdue_attempts.py)",
        "",
        """
SELECT id FROM attempts
WHERE status = 'in_progress' AND ((paused_at IS NULL AND deadline
      + make_interval(secs => greatest(grace_seconds, 2)) <= now())
   OR (paused_at IS NOT NULL AND closes_at IS NOT NULL
      AND closes_at + make_interval(secs => greatest(grace_seconds, 2)) <= now()))
ORDER BY deadline LIMIT 500 FOR UPDATE SKIP LOCKED""",
    ),
    (
        "deadline refill: every attempt in progress (in_progress_deadlines.py)",
        "",
        """
SELECT id, deadline FROM attempts
WHERE status = 'in_progress' AND (paused_at IS NULL OR closes_at IS NOT NULL)""",
    ),
    (
        "an attempt's trail, live table and archive (audit_trail.py)",
        "attempt",
        """
SELECT kind, at, version, data FROM every_attempt_event
WHERE attempt_id = $1 ORDER BY id""",
    ),
)


async def hot_plans(database_url: str) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(database_url)
    try:  # one of the loaded attempts, somewhere in the middle of the history
        attempt_id, exam_id, candidate_id = await connection.fetchrow(
            "SELECT id, exam_id, candidate_id FROM attempts ORDER BY id LIMIT 1"
            " OFFSET (SELECT count(*) / 2 FROM attempts)"
        )
        now = datetime.now(UTC)
        save = (attempt_id, now, now, None, "answer_saved", "{}", "q1", '"B"')
        arguments = {
            "attempt": (attempt_id,), "candidate": (exam_id, candidate_id), "save": save, "": (),
        }  # fmt: skip
        plans = []
        for title, needs, statement in _STATEMENTS:
            args = arguments[needs]
            transaction = connection.transaction()
            await transaction.start()
            try:
                rows = await connection.fetch(
                    f"EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) {statement}", *args
                )
            finally:
                await transaction.rollback()
            plans.append((title, "\n".join(row[0] for row in rows)))
    finally:
        await connection.close()
    return plans
