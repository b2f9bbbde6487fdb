"""A statement that undoes itself when a condition holds, and how its refusal is known.

SQL has no RAISE outside PL/pgSQL, and a cast of a constant would fail at planning,
whatever the condition. So a guard is a CTE that, when its condition holds, inserts an
audit event without an attempt: `attempt_events.attempt_id` is NOT NULL, PostgreSQL
refuses the row, and the whole statement (every CTE beside the guard) writes nothing.
Used by the submit's write-back (a stale read) and the first start (an accommodation).
"""

from __future__ import annotations

import asyncpg


def refusal_guard(name: str, *, kind: str, when: str) -> str:
    """A CTE `name` that makes its statement fail when the SQL condition `when` holds;
    `kind` names the refusal in the server's log line."""
    return f"""
{name} AS (
    INSERT INTO attempt_events (attempt_id, version, kind, at, data)
    SELECT NULL, -1, '{kind}', now(), '{{}}'::jsonb
    WHERE {when}
)"""


def refused_by_guard(error: asyncpg.NotNullViolationError) -> bool:
    """Whether the statement failed on a guard, not on a missing value of its own."""
    return bool(error.table_name == "attempt_events" and error.column_name == "attempt_id")
