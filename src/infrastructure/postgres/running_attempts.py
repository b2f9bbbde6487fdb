"""An exam's attempts in progress, locked and rewritten as a set."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast
from uuid import UUID

import msgspec
from sqlalchemy import select

from application.ports.running_attempts import RunningAttempts
from domain.attempt import Attempt
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import section_columns, to_live_attempt
from infrastructure.postgres.attempt_reads import append_pending_events_of_all
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow
from infrastructure.postgres.section_documents import to_progress
from infrastructure.postgres.sessions import SessionSource

# Every column but the answer sheet: a change of time never reads or writes it.
_TIMER_COLUMNS = [column for column in AttemptRow.__table__.c if column.name != "answers"]


class SqlRunningAttempts:
    """One SELECT … FOR UPDATE, one UPDATE of every row, one INSERT of every event (with
    its outbox row)."""

    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def lock_running(
        self, exam_id: UUID, candidate_ids: Sequence[str] | None
    ) -> list[Attempt]:
        statement = select(*_TIMER_COLUMNS).where(
            AttemptRow.exam_id == exam_id,
            AttemptRow.status == AttemptStatus.IN_PROGRESS.value,
        )
        if candidate_ids is not None:
            statement = statement.where(AttemptRow.candidate_id.in_(candidate_ids))
        # Locked in id order, as every multi-row lock here is, so two bulk changes of the
        # same exam queue behind each other instead of deadlocking.
        result = await self._sessions.current.execute(
            statement.order_by(AttemptRow.id).with_for_update()
        )
        return [_timer_only(cast(AttemptRow, row)) for row in result]

    @translate_errors
    async def write_timers(self, attempts: Sequence[Attempt]) -> None:
        if not attempts:
            return
        # One statement each for the rows and the events, whatever their number: arrays
        # unnested server-side (an executemany is a round trip's parse per row).
        connection = await self._sessions.current.connection()
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        timers = [attempt.timer for attempt in attempts]
        # A running section's clock moves with the attempt's (an extension, a resume).
        sections = [section_columns(attempt) for attempt in attempts]
        await driver.execute(
            _UPDATE_TIMERS,
            [attempt.id for attempt in attempts],
            [timer.extensions.total_seconds() for timer in timers],
            [timer.paused_for.total_seconds() for timer in timers],
            [timer.paused_at for timer in timers],
            [timer.deadline for timer in timers],
            [attempt.version for attempt in attempts],
            [_changed_at(attempt) for attempt in attempts],
            [None if c["sections"] is None else _json_list(c["sections"]) for c in sections],
            [c["section_deadline"] for c in sections],
        )
        # Each change is audited and, as a platform event, goes to the outbox: one statement.
        await append_pending_events_of_all(self._sessions.current, attempts)


_UPDATE_TIMERS = """
UPDATE attempts AS a
SET extension_seconds = v.extension_seconds, paused_seconds = v.paused_seconds,
    paused_at = v.paused_at, deadline = v.deadline, version = v.version,
    updated_at = v.updated_at, sections = v.sections, section_deadline = v.section_deadline
FROM unnest($1::uuid[], $2::float8[], $3::float8[], $4::timestamptz[], $5::timestamptz[],
            $6::int[], $7::timestamptz[], $8::jsonb[], $9::timestamptz[])
     AS v(id, extension_seconds, paused_seconds, paused_at, deadline, version, updated_at,
          sections, section_deadline)
WHERE a.id = v.id
"""


def _changed_at(attempt: Attempt) -> datetime:
    events = attempt.pending_events
    return events[-1].at if events else attempt.timer.started_at


def _json_list(data: list[dict[str, Any]]) -> str:
    return msgspec.json.encode(data).decode()


def _timer_only(row: AttemptRow) -> Attempt:
    live = to_live_attempt(row)
    return Attempt(
        id=live.id,
        exam_id=live.exam_id,
        candidate_id=live.candidate_id,
        mode=live.mode,
        timer=live.timer,
        status=live.status,
        version=live.version,
        sections=to_progress(row.sections),
    )


_: type[RunningAttempts] = SqlRunningAttempts
