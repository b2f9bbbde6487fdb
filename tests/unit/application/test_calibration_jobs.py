"""Calibration jobs with in-memory fakes: requested, run by the worker, applied."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import numpy as np
import pytest

from application.calibration_fit import StoredResponsesOf
from application.calibration_worker import CalibrationWorker, CalibrationWorkerSettings
from application.errors import AccessDenied, ExamNotFound
from application.identity import Actor, Role
from application.use_cases.calibrations import (
    ApplyCalibration,
    ApplyCalibrationCommand,
    CalibrationNotReady,
    CalibrationWakeUp,
    GetCalibration,
    RequestCalibration,
)
from domain.calibration import ItemModel
from domain.calibration.job import CalibrationStatus
from domain.calibration.stored_responses import ResponseSheet
from domain.exam import AdaptiveRules, Exam, ExamMode
from tests.fakes.builders import ALICE, Services, make_exam, make_questions
from tests.fakes.calibrations import (
    CalibrationStore,
    InMemoryCalibrationQueue,
    InMemoryCalibrationRequests,
)

ADMIN = Actor(user_id="root", role=Role.ADMIN)


class Jobs:
    def __init__(self, services: Services) -> None:
        self.store = CalibrationStore()
        self.wake_up = CalibrationWakeUp()
        self.woken = 0
        self.wake_up.subscribe(self._count)
        requests = InMemoryCalibrationRequests(services.transaction, self.store)
        queue = InMemoryCalibrationQueue(self.store)
        self.request = RequestCalibration(
            services.exams, requests, services.transaction, services.clock, self.wake_up
        )
        self.read = GetCalibration(requests)
        self.apply = ApplyCalibration(services.exams, requests, services.transaction)
        self.worker = CalibrationWorker(
            queue,
            StoredResponsesOf(services.exams, services.regrades, queue),
            services.transaction,
            self.wake_up,
            CalibrationWorkerSettings(heartbeat=timedelta(milliseconds=1)),
        )

    def _count(self) -> None:
        self.woken += 1


@pytest.fixture
def jobs(services: Services) -> Jobs:
    return Jobs(services)


def _sheets(exam: Exam, examinees: int = 80) -> list[ResponseSheet]:
    rng = np.random.default_rng(3)
    difficulty = np.linspace(-1, 1, len(exam.questions))
    sheets = []
    for theta in rng.normal(size=examinees):
        right = rng.random(len(difficulty)) < 1 / (1 + np.exp(-(theta - difficulty)))
        answers = {q.id: "A" if r else "B" for q, r in zip(exam.questions, right, strict=True)}
        sheets.append(ResponseSheet(attempt_id=uuid4(), answers=answers))
    return sheets


async def test_a_requested_job_is_fitted_by_the_worker_and_applied(
    services: Services, jobs: Jobs
) -> None:
    exam = await services.given_exam(make_exam(questions=make_questions(5)))
    jobs.store.sheets[exam.id] = _sheets(exam)
    job = await jobs.request(ADMIN, exam.id, ItemModel.TWO_PL)
    assert (job.status, jobs.woken) == (CalibrationStatus.QUEUED, 1)
    with pytest.raises(CalibrationNotReady):
        await jobs.apply(ApplyCalibrationCommand(actor=ADMIN, calibration_id=job.id))

    assert (await jobs.worker.run_once()) is not None
    done = await jobs.read(ADMIN, job.id)
    assert done.status is CalibrationStatus.SUCCEEDED
    assert done.outcome is not None
    assert done.outcome.examinees == 80
    assert [item["id"] for item in done.outcome.items] == [f"q{n}" for n in range(1, 6)]
    bs = [item["b"] for item in done.outcome.items]
    assert bs == sorted(bs)  # difficulties recovered in order
    assert await jobs.worker.run_once() is None  # nothing left

    new = await jobs.apply(
        ApplyCalibrationCommand(
            actor=ADMIN, calibration_id=job.id, adaptive=AdaptiveRules(max_items=3)
        )
    )
    assert new.mode is ExamMode.ADAPTIVE
    assert await services.exams.get(new.id) == new
    assert (await jobs.read(ADMIN, job.id)).applied_exam_id == new.id


async def test_a_job_without_responses_fails_with_the_reason(
    services: Services, jobs: Jobs
) -> None:
    exam = await services.given_exam(make_exam(questions=make_questions(3)))
    job = await jobs.request(ADMIN, exam.id, ItemModel.THREE_PL)
    await jobs.worker.run_once()
    failed = await jobs.read(ADMIN, job.id)
    assert failed.status is CalibrationStatus.FAILED
    assert failed.error == "the exam has no scored responses in final attempts yet"


async def test_only_admins_and_known_exams(services: Services, jobs: Jobs) -> None:
    with pytest.raises(AccessDenied):
        await jobs.request(ALICE, uuid4(), ItemModel.TWO_PL)
    with pytest.raises(ExamNotFound):
        await jobs.request(ADMIN, uuid4(), ItemModel.TWO_PL)
    assert jobs.woken == 0
