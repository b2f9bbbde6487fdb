"""Calibration jobs in their table: requests in the unit of work, workers on their own.

The worker's calls are each a short transaction on a session of their own: a fit runs for
seconds to minutes, and no row lock or connection is held while it does. PostgreSQL's
clock (`now()`) stamps heartbeats and judges staleness, so workers on machines whose
clocks disagree still agree on which job was abandoned.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports.calibrations import CalibrationQueue, CalibrationRequests
from domain.calibration import ItemModel
from domain.calibration.job import CalibrationJob, CalibrationOutcome, CalibrationStatus
from domain.calibration.stored_responses import ResponseSheet, SkippedItem
from domain.events import EventKind
from domain.result import AttemptStatus
from infrastructure.postgres.attempt_mapping import to_response
from infrastructure.postgres.attempt_reads import EVERY_ATTEMPT_EVENT, events_of
from infrastructure.postgres.errors import translate_errors
from infrastructure.postgres.models import AttemptRow, CalibrationRow
from infrastructure.postgres.sessions import SessionSource


class SqlCalibrationRequests:
    def __init__(self, sessions: SessionSource) -> None:
        self._sessions = sessions

    @translate_errors
    async def add(self, job: CalibrationJob) -> None:
        self._sessions.current.add(
            CalibrationRow(
                id=job.id, exam_id=job.exam_id, model=job.model.value, status=job.status.value,
                claims=job.claims, requested_by=job.requested_by, created_at=job.created_at,
            )
        )  # fmt: skip
        await self._sessions.current.flush()

    @translate_errors
    async def get(self, job_id: UUID) -> CalibrationJob | None:
        row = await self._sessions.current.get(CalibrationRow, job_id, populate_existing=True)
        return None if row is None else _job(row)

    @translate_errors
    async def mark_applied(self, job_id: UUID, exam_id: UUID) -> None:
        await self._sessions.current.execute(
            update(CalibrationRow)
            .where(CalibrationRow.id == job_id)
            .values(applied_exam_id=exam_id)
        )


# The oldest job waiting, or running with a heartbeat gone stale; SKIP LOCKED so two
# workers never take one. One given up on (claims used up) is failed, not run.
_CLAIM = text(
    """
    WITH waiting AS (
        SELECT id FROM calibrations
        WHERE status = 'queued'
           OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => :stale))
        ORDER BY created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
    )
    UPDATE calibrations AS job SET
        claims = job.claims + 1,
        status = CASE WHEN job.claims >= :max_claims THEN 'failed' ELSE 'running' END,
        heartbeat_at = now(),
        finished_at = CASE WHEN job.claims >= :max_claims THEN now() END,
        error = CASE WHEN job.claims >= :max_claims
                     THEN 'abandoned: its process stopped during ' || job.claims || ' fits'
                END
    FROM waiting WHERE job.id = waiting.id
    RETURNING job.*
    """
)


class SqlCalibrationQueue:
    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    @translate_errors
    async def claim(self, *, stale_after: timedelta, max_claims: int) -> CalibrationJob | None:
        async with self._sessionmaker() as session:
            rows = await session.execute(
                select(CalibrationRow).from_statement(_CLAIM),
                {"stale": stale_after.total_seconds(), "max_claims": max_claims},
            )
            row = rows.scalar_one_or_none()
            job = None if row is None else _job(row)
            await session.commit()
        return job

    async def beat(self, job_id: UUID, claim: int) -> bool:
        return await self._finish_or_beat(job_id, claim, heartbeat_at=text("now()"))

    async def succeed(self, job_id: UUID, claim: int, outcome: CalibrationOutcome) -> bool:
        return await self._finish_or_beat(
            job_id, claim, status=CalibrationStatus.SUCCEEDED.value,
            outcome=_outcome_json(outcome), finished_at=text("now()"),
        )  # fmt: skip

    async def fail(self, job_id: UUID, claim: int, error: str) -> bool:
        return await self._finish_or_beat(
            job_id, claim, status=CalibrationStatus.FAILED.value, error=error,
            finished_at=text("now()"),
        )  # fmt: skip

    @translate_errors
    async def _finish_or_beat(self, job_id: UUID, claim: int, **values: Any) -> bool:
        async with self._sessionmaker() as session:
            result = await session.execute(
                update(CalibrationRow)
                .where(
                    CalibrationRow.id == job_id,
                    CalibrationRow.claims == claim,
                    CalibrationRow.status == CalibrationStatus.RUNNING.value,
                )
                .values(**values)
                .returning(CalibrationRow.id)
            )
            written = result.first() is not None
            await session.commit()
        return written

    @translate_errors
    async def response_sheets(self, exam_id: UUID) -> list[ResponseSheet]:
        final = (
            AttemptRow.exam_id == exam_id,
            AttemptRow.status != AttemptStatus.IN_PROGRESS.value,
        )
        async with self._sessionmaker() as session:
            attempts = await session.execute(
                select(AttemptRow.id, AttemptRow.answers).where(*final)
            )
            # Live or archived: archive-events moves final attempts' responses, and a sheet
            # without them would be fitted as if those items had never been given.
            event = EVERY_ATTEMPT_EVENT.c
            events = await session.execute(
                select(event.attempt_id, event.data)
                .where(
                    events_of(select(AttemptRow.id).where(*final)),
                    event.kind == EventKind.RESPONSE_RECORDED.value,
                )
                .order_by(event.attempt_id, event.id)
            )
            responses: dict[UUID, list[Any]] = {}
            for attempt_id, data in events:
                responses.setdefault(attempt_id, []).append(to_response(data))
        return [
            ResponseSheet(
                attempt_id=attempt_id, answers=answers,
                responses=tuple(responses.get(attempt_id, ())),
            )
            for attempt_id, answers in attempts
        ]  # fmt: skip


def _outcome_json(outcome: CalibrationOutcome) -> dict[str, Any]:
    return {
        "items": list(outcome.items),
        "log_likelihood": outcome.log_likelihood,
        "iterations": outcome.iterations,
        "converged": outcome.converged,
        "examinees": outcome.examinees,
        "skipped": [{"id": s.item_id, "reason": s.reason} for s in outcome.skipped],
    }


def _outcome(data: dict[str, Any] | None) -> CalibrationOutcome | None:
    if data is None:
        return None
    return CalibrationOutcome(
        items=tuple(data["items"]),
        log_likelihood=data["log_likelihood"],
        iterations=data["iterations"],
        converged=data["converged"],
        examinees=data["examinees"],
        skipped=tuple(SkippedItem(item_id=s["id"], reason=s["reason"]) for s in data["skipped"]),
    )


def _job(row: CalibrationRow) -> CalibrationJob:
    return CalibrationJob(
        id=row.id, exam_id=row.exam_id, model=ItemModel(row.model),
        status=CalibrationStatus(row.status), requested_by=row.requested_by,
        created_at=row.created_at, claims=row.claims, finished_at=row.finished_at,
        outcome=_outcome(row.outcome), error=row.error, applied_exam_id=row.applied_exam_id,
    )  # fmt: skip


_: type[CalibrationRequests] = SqlCalibrationRequests
__: type[CalibrationQueue] = SqlCalibrationQueue
