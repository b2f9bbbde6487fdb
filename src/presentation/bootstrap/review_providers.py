"""Flags, review and exam import: their adapters and use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from application.ports.attempt_flags import AttemptFlags
from application.ports.exam_packages import ExamPackageReader
from application.use_cases.flags import SetFlag
from application.use_cases.read_exam_package import ReadExamPackage
from application.use_cases.review_attempt import ReviewAttempt
from infrastructure.postgres.attempt_flags import SqlAttemptFlags
from infrastructure.postgres.sessions import DatabaseSessions
from presentation.bootstrap.exam_packages import exam_package_reader


class ReviewProvider(Provider):
    scope = Scope.APP

    use_cases = provide_all(SetFlag, ReviewAttempt, ReadExamPackage)

    @provide
    def attempt_flags(self, sessions: DatabaseSessions) -> AttemptFlags:
        return SqlAttemptFlags(sessions)

    @provide
    def exam_package_reader(self) -> ExamPackageReader:
        return exam_package_reader()
