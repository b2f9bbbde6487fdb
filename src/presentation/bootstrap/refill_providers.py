"""The deadline index's refill after Redis came back: PostgreSQL's deadlines into Redis."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from application.ports import InProgressDeadlines
from application.use_cases.refill_deadline_index import RefillDeadlineIndex
from infrastructure.postgres.in_progress_deadlines import SqlInProgressDeadlines
from infrastructure.postgres.sessions import DatabaseSessions


class DeadlineRefillProvider(Provider):
    scope = Scope.APP

    @provide
    def in_progress_deadlines(self, sessions: DatabaseSessions) -> InProgressDeadlines:
        return SqlInProgressDeadlines(sessions)

    # The index itself is the one every other use case gets (RedisProvider).
    refill = provide(RefillDeadlineIndex)
