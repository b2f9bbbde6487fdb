"""The deadline index's refill after Redis came back: PostgreSQL's deadlines into Redis."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from application.ports import DeadlineIndexRefill, InProgressDeadlines
from application.use_cases.refill_deadline_index import RefillDeadlineIndex
from infrastructure.postgres.in_progress_deadlines import SqlInProgressDeadlines
from infrastructure.postgres.sessions import DatabaseSessions
from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import RedisGuard
from infrastructure.settings import Settings


class DeadlineRefillProvider(Provider):
    scope = Scope.APP

    @provide
    def in_progress_deadlines(self, sessions: DatabaseSessions) -> InProgressDeadlines:
        return SqlInProgressDeadlines(sessions)

    @provide
    def deadline_index_refill(
        self, client: Redis, settings: Settings, guard: RedisGuard
    ) -> DeadlineIndexRefill:
        return RedisDeadlineIndex(client, prefix=settings.redis_key_prefix, guard=guard)

    refill = provide(RefillDeadlineIndex)
