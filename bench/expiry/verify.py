"""What PostgreSQL says after the sweep: every attempt expired once, saved answers scored."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from uuid import UUID

import asyncpg

from bench.expiry.seeding import CORRECT_Q1, Started


@dataclass(slots=True)
class Verification:
    attempts: int = 0  # rows of the exam
    expired: int = 0  # rows with status 'expired'
    one_expired_event: int = 0  # attempts with exactly one 'expired' event
    scored_right: int = 0  # attempts whose result matches what they saved
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        verdict = "all checks passed" if self.ok else "; ".join(self.problems[:5])
        return (
            f"{self.expired}/{self.attempts} `expired`, {self.one_expired_event} with exactly"
            f" one `expired` event, {self.scored_right} results as expected: {verdict}"
        )


_ROWS = """
SELECT a.id, a.status, a.result, a.deadline,
       (SELECT count(*) FROM attempt_events e
         WHERE e.attempt_id = a.id AND e.kind = 'expired') AS expired_events
  FROM attempts a
 WHERE a.exam_id = $1
"""


async def verify(database_url: str, exam_id: UUID, started: Sequence[Started]) -> Verification:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(_ROWS, exam_id)
    finally:
        await connection.close()
    saved = {s.attempt_id: s.saved for s in started}
    found = Verification(attempts=len(rows))
    if len(rows) != len(started):
        found.problems.append(f"{len(rows)} rows for {len(started)} started attempts")
    for row in rows:
        if row["status"] == "expired":
            found.expired += 1
        else:
            found.problems.append(f"{row['id']} is {row['status']}")
        if row["expired_events"] == 1:
            found.one_expired_event += 1
        else:
            found.problems.append(f"{row['id']} has {row['expired_events']} expired events")
        if _scored(row["result"], saved.get(row["id"])):
            found.scored_right += 1
        else:
            found.problems.append(f"{row['id']}: unexpected result {row['result']}")
    return found


def _scored(result: object, saved: str | None) -> bool:
    if isinstance(result, str):
        import json

        result = json.loads(result)
    if not isinstance(result, dict) or result.get("status") != "expired":
        return False
    if saved is None:
        return result.get("answered") == 0 and result.get("score") == 0
    right = saved == CORRECT_Q1
    return (
        result.get("answered") == 1
        and result.get("correct") == (1 if right else 0)
        and result.get("score") == (1.0 if right else 0.0)
    )


_SECTION_ROWS = """
SELECT a.id, a.status, a.sections->1->>'status' AS second,
       (SELECT count(*) FROM attempt_events e
         WHERE e.attempt_id = a.id AND e.kind = 'section_finished') AS finished_events
  FROM attempts a
 WHERE a.exam_id = $1
"""


async def verify_sections(
    database_url: str, exam_id: UUID, started: Sequence[Started]
) -> Verification:
    """`--sections`: every attempt still in progress, in its second section, its first one
    finished exactly once (counted in `expired` and `one_expired_event` of the summary)."""
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(_SECTION_ROWS, exam_id)
    finally:
        await connection.close()
    found = Verification(attempts=len(rows))
    if len(rows) != len(started):
        found.problems.append(f"{len(rows)} rows for {len(started)} started attempts")
    for row in rows:
        if row["status"] == "in_progress" and row["second"] == "active":
            found.expired += 1
            found.scored_right += 1
        else:
            found.problems.append(f"{row['id']} is {row['status']}, second section {row['second']}")
        if row["finished_events"] == 1:
            found.one_expired_event += 1
        else:
            found.problems.append(f"{row['id']} has {row['finished_events']} section_finished")
    return found
