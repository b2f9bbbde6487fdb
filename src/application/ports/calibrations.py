from __future__ import annotations

from datetime import timedelta
from typing import Protocol
from uuid import UUID

from domain.calibration.job import CalibrationJob, CalibrationOutcome
from domain.calibration.stored_responses import ResponseSheet


class CalibrationRequests(Protocol):
    """Calibration jobs as requests see them, in the request's unit of work."""

    async def add(self, job: CalibrationJob) -> None:
        """Keep a new queued job in the current transaction."""
        ...

    async def get(self, job_id: UUID) -> CalibrationJob | None: ...

    async def mark_applied(self, job_id: UUID, exam_id: UUID) -> None:
        """Record, in the current transaction, the exam an apply call created."""
        ...


class CalibrationQueue(Protocol):
    """Jobs as workers take them; each call is its own committed unit of work, since a
    fit outlives any request. The store's clock decides what is stale."""

    async def claim(self, *, stale_after: timedelta, max_claims: int) -> CalibrationJob | None:
        """Take the oldest queued job, or a running one whose heartbeat is older than
        `stale_after` (its process died): it becomes running with `claims` + 1. A stale job
        that has been claimed `max_claims` times is marked failed instead. None when no
        job is waiting (SKIP LOCKED: workers never take the same job)."""
        ...

    async def beat(self, job_id: UUID, claim: int) -> bool:
        """Keep the claim alive; False if the job is no longer this claim's."""
        ...

    async def succeed(self, job_id: UUID, claim: int, outcome: CalibrationOutcome) -> bool:
        """Finish the job with its outcome, if it is still this claim's."""
        ...

    async def fail(self, job_id: UUID, claim: int, error: str) -> bool:
        """Finish the job as failed, if it is still this claim's."""
        ...

    async def response_sheets(self, exam_id: UUID) -> list[ResponseSheet]:
        """Every final attempt of the exam: its answers and adaptive responses."""
        ...
