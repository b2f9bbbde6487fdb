"""Calibration jobs in memory: requests staged in the transaction, the queue's calls each
committed at once, as the PostgreSQL adapters do."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

from application.ports.calibrations import CalibrationQueue, CalibrationRequests
from domain.calibration.job import CalibrationJob, CalibrationOutcome, CalibrationStatus
from domain.calibration.stored_responses import ResponseSheet
from tests.fakes.transaction import FakeTransaction


@dataclass
class CalibrationStore:
    """Committed jobs, their heartbeats, and the response sheets of each exam. `now` ticks
    a microsecond per reading, like a database clock between transactions."""

    jobs: dict[UUID, CalibrationJob] = field(default_factory=dict)
    heartbeats: dict[UUID, datetime] = field(default_factory=dict)
    sheets: dict[UUID, list[ResponseSheet]] = field(default_factory=dict)
    clock: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def now(self) -> datetime:
        self.clock += timedelta(microseconds=1)
        return self.clock


class InMemoryCalibrationRequests(CalibrationRequests):
    def __init__(self, transaction: FakeTransaction, store: CalibrationStore) -> None:
        self.store = store
        self._transaction = transaction
        self._staged: dict[UUID, CalibrationJob] = {}

    async def add(self, job: CalibrationJob) -> None:
        self._staged[job.id] = job
        self._transaction.join(self)

    async def get(self, job_id: UUID) -> CalibrationJob | None:
        return self._staged.get(job_id) or self.store.jobs.get(job_id)

    async def mark_applied(self, job_id: UUID, exam_id: UUID) -> None:
        job = await self.get(job_id)
        if job is not None:
            self._staged[job_id] = replace(job, applied_exam_id=exam_id)
            self._transaction.join(self)

    def check_staged(self) -> None:
        """Inserts of new ids and a column set cannot conflict."""

    def publish_staged(self) -> None:
        self.store.jobs.update(self._staged)
        self._staged.clear()

    def drop_staged(self) -> None:
        self._staged.clear()


class InMemoryCalibrationQueue(CalibrationQueue):
    def __init__(self, store: CalibrationStore) -> None:
        self.store = store

    async def claim(self, *, stale_after: timedelta, max_claims: int) -> CalibrationJob | None:
        now = self.store.now()
        waiting = [
            job
            for job in self.store.jobs.values()
            if job.status is CalibrationStatus.QUEUED
            or (
                job.status is CalibrationStatus.RUNNING
                and self.store.heartbeats[job.id] < now - stale_after
            )
        ]
        if not waiting:
            return None
        job = min(waiting, key=lambda j: (j.created_at, str(j.id)))
        if job.claims >= max_claims:
            claimed = replace(
                job, claims=job.claims + 1, status=CalibrationStatus.FAILED, finished_at=now,
                error=f"abandoned: its process stopped during {job.claims} fits",
            )  # fmt: skip
        else:
            claimed = replace(job, claims=job.claims + 1, status=CalibrationStatus.RUNNING)
        self.store.jobs[job.id] = claimed
        self.store.heartbeats[job.id] = now
        return claimed

    async def beat(self, job_id: UUID, claim: int) -> bool:
        if not self._holds(job_id, claim):
            return False
        self.store.heartbeats[job_id] = self.store.now()
        return True

    async def succeed(self, job_id: UUID, claim: int, outcome: CalibrationOutcome) -> bool:
        return self._finish(job_id, claim, CalibrationStatus.SUCCEEDED, outcome=outcome)

    async def fail(self, job_id: UUID, claim: int, error: str) -> bool:
        return self._finish(job_id, claim, CalibrationStatus.FAILED, error=error)

    async def response_sheets(self, exam_id: UUID) -> list[ResponseSheet]:
        return list(self.store.sheets.get(exam_id, []))

    def _holds(self, job_id: UUID, claim: int) -> bool:
        job = self.store.jobs.get(job_id)
        return job is not None and job.claims == claim and job.status is CalibrationStatus.RUNNING

    def _finish(
        self,
        job_id: UUID,
        claim: int,
        status: CalibrationStatus,
        *,
        outcome: CalibrationOutcome | None = None,
        error: str | None = None,
    ) -> bool:
        if not self._holds(job_id, claim):
            return False
        job = self.store.jobs[job_id]
        self.store.jobs[job_id] = replace(
            job, status=status, outcome=outcome, error=error, finished_at=self.store.now()
        )
        return True
