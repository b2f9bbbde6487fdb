"""EXPLAIN (ANALYZE, BUFFERS) of the hot statements, on whatever data the database holds.

The statements are written here as the adapters send them (their WHERE clauses and
orderings); each runs in a transaction that is rolled back."""

from __future__ import annotations

import asyncpg

_STATEMENTS = (
    (
        "save: the conditional answer write (answer_writes.py)",
        "attempt",
        """
WITH updated AS (
    UPDATE attempts SET answers = answers || jsonb_build_object('q1', '"B"'::jsonb),
        version = version + 1, updated_at = now()
    WHERE id = $1 AND status = 'in_progress' AND paused_at IS NULL AND deadline > now()
    RETURNING id, version, deadline
), logged AS (
    INSERT INTO attempt_events (attempt_id, version, kind, at, data)
    SELECT id, version, 'answer_saved', now(), '{}'::jsonb FROM updated
)
SELECT version FROM updated""",
    ),
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
SELECT kind, at, version, data FROM (
    SELECT id, attempt_id, version, kind, at, data FROM attempt_events
    UNION ALL
    SELECT id, attempt_id, version, kind, at, data FROM attempt_events_archive
) AS every_event WHERE attempt_id = $1 ORDER BY id""",
    ),
)


async def hot_plans(database_url: str) -> list[tuple[str, str]]:
    connection = await asyncpg.connect(database_url)
    try:  # one of the loaded attempts, somewhere in the middle of the history
        attempt_id, exam_id, candidate_id = await connection.fetchrow(
            "SELECT id, exam_id, candidate_id FROM attempts ORDER BY id LIMIT 1"
            " OFFSET (SELECT count(*) / 2 FROM attempts)"
        )
        arguments = {"attempt": (attempt_id,), "candidate": (exam_id, candidate_id), "": ()}
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
