"""Proficiency across attempts and calibration jobs (issue 20)."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.calibration_fit import StoredResponsesOf
from application.calibration_worker import CalibrationWorker, CalibrationWorkerSettings
from application.candidate_priors import CandidatePriors
from application.ports.calibrations import CalibrationQueue, CalibrationRequests
from application.ports.proficiencies import Proficiencies
from application.use_cases.calibrations import (
    ApplyCalibration,
    CalibrationWakeUp,
    GetCalibration,
    RequestCalibration,
)
from application.use_cases.read_proficiency import GetProficiency
from infrastructure.postgres.calibrations import SqlCalibrationQueue, SqlCalibrationRequests
from infrastructure.postgres.proficiencies import SqlProficiencies
from infrastructure.postgres.sessions import DatabaseSessions


class PsychometricsProvider(Provider):
    scope = Scope.APP

    @provide
    def proficiencies(self, sessions: DatabaseSessions) -> Proficiencies:
        return SqlProficiencies(sessions)

    @provide
    def calibration_requests(self, sessions: DatabaseSessions) -> CalibrationRequests:
        return SqlCalibrationRequests(sessions)

    @provide
    def calibration_queue(self, sessionmaker: async_sessionmaker[AsyncSession]) -> CalibrationQueue:
        return SqlCalibrationQueue(sessionmaker)

    @provide
    def calibration_worker_settings(self) -> CalibrationWorkerSettings:
        return CalibrationWorkerSettings()

    priors = provide(CandidatePriors)
    wake_up = provide(CalibrationWakeUp)
    stored_responses = provide(StoredResponsesOf)
    worker = provide(CalibrationWorker)
    use_cases = provide_all(GetProficiency, RequestCalibration, GetCalibration, ApplyCalibration)
