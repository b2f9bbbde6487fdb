"""What the platform's routes need: attempt listings, results, lifecycle."""

from __future__ import annotations

from datetime import timedelta

from dishka import Provider, Scope, provide, provide_all
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from application.ports.attempt_listing import AttemptListing
from application.ports.event_archive import EventArchive
from application.ports.exam_board import ExamBoard
from application.ports.exam_regrades import ExamRegrades, FinalAttemptsToRescore
from application.ports.final_results import FinalResults
from application.ports.item_exposure import ItemExposure
from application.ports.running_attempts import RunningAttempts
from application.use_cases.archive_events import ArchiveFinishedEvents
from application.use_cases.exam_time_control import ControlExamTime
from application.use_cases.export_results import ExportResults
from application.use_cases.list_attempts import ListExamAttempts, ListMyAttempts
from application.use_cases.read_exposure import ReadExposure
from application.use_cases.regrade_question import RegradeQuestion
from application.use_cases.reopen_attempt import ReopenAttempt
from application.use_cases.terminate_attempt import TerminateAttempt
from application.use_cases.watch_exam import ExamStreamSettings, WatchExam
from infrastructure.postgres.attempt_listing import SqlAttemptListing
from infrastructure.postgres.event_archive import SqlEventArchive
from infrastructure.postgres.exam_board import SqlExamBoard
from infrastructure.postgres.exam_regrades import SqlExamRegrades, SqlFinalAttemptsToRescore
from infrastructure.postgres.final_results import SqlFinalResults
from infrastructure.postgres.item_exposure import SqlItemExposure
from infrastructure.postgres.running_attempts import SqlRunningAttempts
from infrastructure.postgres.sessions import DatabaseSessions
from infrastructure.settings import Settings


class PlatformProvider(Provider):
    scope = Scope.APP

    @provide
    def attempt_listing(self, sessions: DatabaseSessions) -> AttemptListing:
        return SqlAttemptListing(sessions)

    @provide
    def final_results(self, sessionmaker: async_sessionmaker[AsyncSession]) -> FinalResults:
        return SqlFinalResults(sessionmaker)

    @provide
    def running_attempts(self, sessions: DatabaseSessions) -> RunningAttempts:
        return SqlRunningAttempts(sessions)

    @provide
    def exam_regrades(self, sessions: DatabaseSessions) -> ExamRegrades:
        return SqlExamRegrades(sessions)

    @provide
    def final_attempts_to_rescore(self, sessions: DatabaseSessions) -> FinalAttemptsToRescore:
        return SqlFinalAttemptsToRescore(sessions)

    @provide
    def event_archive(self, sessions: DatabaseSessions) -> EventArchive:
        return SqlEventArchive(sessions)

    @provide
    def exam_board(self, sessions: DatabaseSessions) -> ExamBoard:
        return SqlExamBoard(sessions)

    @provide
    def item_exposure(self, sessions: DatabaseSessions) -> ItemExposure:
        return SqlItemExposure(sessions)

    @provide
    def exam_stream_settings(self, settings: Settings) -> ExamStreamSettings:
        return ExamStreamSettings(tick=timedelta(seconds=settings.stream_tick_seconds))

    use_cases = provide_all(
        ListExamAttempts,
        ListMyAttempts,
        TerminateAttempt,
        ReopenAttempt,
        ExportResults,
        ControlExamTime,
        RegradeQuestion,
        WatchExam,
        ReadExposure,
        ArchiveFinishedEvents,
    )
