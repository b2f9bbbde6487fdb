"""What the platform's routes need: attempt listings, results, lifecycle."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all

from application.ports.attempt_listing import AttemptListing
from application.use_cases.list_attempts import ListExamAttempts, ListMyAttempts
from application.use_cases.terminate_attempt import TerminateAttempt
from infrastructure.postgres.attempt_listing import SqlAttemptListing
from infrastructure.postgres.sessions import DatabaseSessions


class PlatformProvider(Provider):
    scope = Scope.APP

    @provide
    def attempt_listing(self, sessions: DatabaseSessions) -> AttemptListing:
        return SqlAttemptListing(sessions)

    use_cases = provide_all(ListExamAttempts, ListMyAttempts, TerminateAttempt)
