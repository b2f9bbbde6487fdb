"""An admin asks for a calibration of an exam's stored responses, reads it, applies it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID, uuid4

from application.errors import ApplicationError, ExamNotFound
from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Clock, ExamRepository, Transaction
from application.ports.calibrations import CalibrationRequests
from domain.calibration import ItemModel
from domain.calibration.applied import calibrated_exam
from domain.calibration.job import CalibrationJob, CalibrationOutcome, CalibrationStatus
from domain.exam import AdaptiveRules, Exam


class CalibrationNotFound(ApplicationError):
    default_message = "no such calibration"


class CalibrationNotReady(ApplicationError):
    default_message = "the calibration has not succeeded"


class CalibrationWakeUp:
    """Tells this process's worker that a job was queued, so it starts without waiting for
    its next poll (workers of other processes find it on theirs)."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        self._listeners.append(listener)

    def notify(self) -> None:
        for listener in self._listeners:
            listener()


class RequestCalibration:
    def __init__(
        self,
        exams: ExamRepository,
        requests: CalibrationRequests,
        transaction: Transaction,
        clock: Clock,
        wake_up: CalibrationWakeUp,
    ) -> None:
        self._exams = exams
        self._requests = requests
        self._transaction = transaction
        self._clock = clock
        self._wake_up = wake_up

    async def __call__(self, actor: Actor, exam_id: UUID, model: ItemModel) -> CalibrationJob:
        ensure_admin(actor)
        if await self._exams.get(exam_id) is None:
            raise ExamNotFound()
        job = CalibrationJob(
            id=uuid4(),
            exam_id=exam_id,
            model=model,
            status=CalibrationStatus.QUEUED,
            requested_by=actor.user_id,
            created_at=self._clock.now(),
        )
        await self._requests.add(job)
        await self._transaction.commit()
        self._wake_up.notify()
        return job


class GetCalibration:
    def __init__(self, requests: CalibrationRequests) -> None:
        self._requests = requests

    async def __call__(self, actor: Actor, job_id: UUID) -> CalibrationJob:
        ensure_admin(actor)
        job = await self._requests.get(job_id)
        if job is None:
            raise CalibrationNotFound()
        return job


@dataclass(frozen=True, slots=True, kw_only=True)
class ApplyCalibrationCommand:
    actor: Actor
    calibration_id: UUID | None = None  # None: `outcome` applies a fit made elsewhere
    title: str | None = None
    adaptive: AdaptiveRules | None = None


class ApplyCalibration:
    """A succeeded calibration becomes a new adaptive exam (exams never change), at once
    ready for attempts; each call makes another exam (other rules, other title)."""

    def __init__(
        self, exams: ExamRepository, requests: CalibrationRequests, transaction: Transaction
    ) -> None:
        self._exams = exams
        self._requests = requests
        self._transaction = transaction

    async def __call__(self, command: ApplyCalibrationCommand) -> Exam:
        ensure_admin(command.actor)
        if command.calibration_id is None:
            raise CalibrationNotFound()
        job = await self._requests.get(command.calibration_id)
        if job is None:
            raise CalibrationNotFound()
        if job.status is not CalibrationStatus.SUCCEEDED or job.outcome is None:
            raise CalibrationNotReady(f"the calibration is {job.status.value}")
        exam = await self._new_exam(job.exam_id, job.outcome, command)
        await self._requests.mark_applied(job.id, exam.id)
        await self._transaction.commit()
        return exam

    async def outcome(
        self, exam_id: UUID, outcome: CalibrationOutcome, command: ApplyCalibrationCommand
    ) -> Exam:
        """A fit made outside a job (`hourglass calibrate --exam-id ID --apply`)."""
        ensure_admin(command.actor)
        exam = await self._new_exam(exam_id, outcome, command)
        await self._transaction.commit()
        return exam

    async def _new_exam(
        self, source_id: UUID, outcome: CalibrationOutcome, command: ApplyCalibrationCommand
    ) -> Exam:
        source = await self._exams.get(source_id)
        if source is None:
            raise ExamNotFound()
        exam = calibrated_exam(
            source, outcome, exam_id=uuid4(), title=command.title, adaptive=command.adaptive
        )
        await self._exams.add(exam)
        return exam
