"""dishka providers, grouped by layer: adapters, then use cases, all for the whole process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

from dishka import Provider, Scope, alias, from_context, provide, provide_all
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from application.adaptive_engines import AdaptiveEngines
from application.attempt_loader import AttemptLoader
from application.deadline_changes import DeadlineChanges
from application.finalisation import AttemptFinaliser
from application.policy import TimingPolicy
from application.ports import (
    AccommodationRepository,
    AdaptiveScoring,
    AnswerWrites,
    Attempts,
    AttemptStarts,
    AuditTrail,
    Clock,
    CommittedAttempts,
    DeadlineIndex,
    ExamRepository,
    FinalWrites,
    HotStateStore,
    LiveUpdates,
    OverdueAttempts,
    Probe,
    SweeperLog,
    Transaction,
)
from application.use_cases.accommodations import ListAccommodations, SetAccommodation
from application.use_cases.admin_stats import GetAdminStats
from application.use_cases.change_answer import ChangeAnswer
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.create_exam import CreateExam
from application.use_cases.read_attempt import (
    GetAttempt,
    GetRemainingTime,
    ListAttemptEvents,
    ListQuestions,
)
from application.use_cases.read_exams import GetExam, ListExams
from application.use_cases.score_answer import ScoreAnswer
from application.use_cases.sections import FinishSection, MoveOn
from application.use_cases.start_attempt import StartAttempt
from application.use_cases.submit_attempt import SubmitAttempt
from application.use_cases.sweep import ExpireOverdueAttempts
from application.use_cases.time_control import ExtendTime, PauseAttempt, ResumeAttempt
from application.use_cases.watch_attempt import WatchAttempt, WatchSettings
from infrastructure.batched_deadline_index import BatchedDeadlineIndex
from infrastructure.clock import SystemClock
from infrastructure.local_hot_state import LocallyCachedHotState
from infrastructure.postgres.accommodations import SqlAccommodationRepository
from infrastructure.postgres.answer_connections import AnswerConnections
from infrastructure.postgres.answer_writes import AsyncpgAnswerWrites
from infrastructure.postgres.attempt_starts import AsyncpgAttemptStarts
from infrastructure.postgres.attempts import SqlAttempts
from infrastructure.postgres.audit_trail import SqlAuditTrail
from infrastructure.postgres.committed_attempts import AsyncpgCommittedAttempts
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.exams import ExamCache, SqlExamRepository
from infrastructure.postgres.final_writes import AsyncpgFinalWrites
from infrastructure.postgres.overdue_attempts import SqlOverdueAttempts
from infrastructure.postgres.probe import PostgresProbe
from infrastructure.postgres.sessions import DatabaseSessions
from infrastructure.postgres.transaction import SqlTransaction
from infrastructure.redis.auto_pipeline import AutoPipeline
from infrastructure.redis.client import create_redis
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.deadline_index import RedisDeadlineIndex
from infrastructure.redis.guard import COOLDOWN_SECONDS, RedisGuard
from infrastructure.redis.hot_state import RedisHotStateStore
from infrastructure.redis.live_updates import RedisLiveUpdates
from infrastructure.redis.pipelined_connection import PipelinedConnection
from infrastructure.redis.probe import RedisProbe
from infrastructure.redis.sweeper_log import RedisSweeperLog
from infrastructure.redis.topology import WrongRedisTopology, check_topology
from infrastructure.settings import Settings
from presentation.bootstrap.adaptive_providers import AdaptiveProvider
from presentation.bootstrap.platform_providers import PlatformProvider
from presentation.bootstrap.psychometrics_providers import PsychometricsProvider
from presentation.bootstrap.refill_providers import DeadlineRefillProvider
from presentation.bootstrap.review_providers import ReviewProvider
from presentation.bootstrap.webhook_providers import WebhookProvider
from presentation.bootstrap.write_rate_providers import WriteRateProvider


class SettingsProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def timing_policy(self, settings: Settings) -> TimingPolicy:
        return TimingPolicy(network_grace=timedelta(seconds=settings.network_grace_seconds))

    @provide(scope=Scope.APP)
    def watch_settings(self, settings: Settings) -> WatchSettings:
        return WatchSettings(heartbeat=timedelta(seconds=settings.stream_heartbeat_seconds))


class PostgresProvider(Provider):
    @provide(scope=Scope.APP)
    async def engine(self, settings: Settings) -> AsyncIterator[AsyncEngine]:
        if settings.database_url is None:
            raise RuntimeError("HOURGLASS_DATABASE_URL is not set")
        engine = create_engine(settings.database_url, pool_size=settings.database_pool_size)
        yield engine
        await engine.dispose()

    @provide(scope=Scope.APP)
    def sessionmaker(self, engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
        return create_sessionmaker(engine)

    @provide(scope=Scope.APP)
    async def answer_connections(self, settings: Settings) -> AsyncIterator[AnswerConnections]:
        if settings.database_url is None:
            raise RuntimeError("HOURGLASS_DATABASE_URL is not set")
        connections = AnswerConnections(settings.database_url, size=settings.answer_pool_size)
        yield connections
        await connections.close()

    @provide(scope=Scope.APP)
    def answer_writes(self, connections: AnswerConnections) -> AsyncpgAnswerWrites:
        return AsyncpgAnswerWrites(connections)

    answer_writes_port = alias(source=AsyncpgAnswerWrites, provides=AnswerWrites)

    # The start and the submit: their statements on the same plain connections.
    @provide(scope=Scope.APP)
    def attempt_starts(self, connections: AnswerConnections) -> AttemptStarts:
        return AsyncpgAttemptStarts(connections)

    @provide(scope=Scope.APP)
    def final_writes(self, connections: AnswerConnections) -> FinalWrites:
        return AsyncpgFinalWrites(connections)

    # A stream's reads of PostgreSQL, on the same plain connections.
    @provide(scope=Scope.APP)
    def committed_attempts(self, connections: AnswerConnections) -> CommittedAttempts:
        return AsyncpgCommittedAttempts(connections)

    @provide(scope=Scope.APP)
    def exam_cache(self, settings: Settings) -> ExamCache:
        return ExamCache(max_bytes=settings.exam_cache_bytes)

    # Every adapter and use case lives for the whole process; the session they share is
    # the current unit of work's (sessions.py), so a request resolves no object graph.
    @provide(scope=Scope.APP)
    def sessions(self, sessionmaker: async_sessionmaker[AsyncSession]) -> DatabaseSessions:
        return DatabaseSessions(sessionmaker)

    @provide(scope=Scope.APP)
    def exams(self, sessions: DatabaseSessions, cache: ExamCache) -> ExamRepository:
        return SqlExamRepository(sessions, cache)

    @provide(scope=Scope.APP)
    def attempts(self, sessions: DatabaseSessions) -> Attempts:
        return SqlAttempts(sessions)

    @provide(scope=Scope.APP)
    def overdue_attempts(self, sessions: DatabaseSessions) -> OverdueAttempts:
        return SqlOverdueAttempts(sessions)

    @provide(scope=Scope.APP)
    def audit_trail(self, sessions: DatabaseSessions) -> AuditTrail:
        return SqlAuditTrail(sessions)

    @provide(scope=Scope.APP)
    def accommodations(self, sessions: DatabaseSessions) -> AccommodationRepository:
        return SqlAccommodationRepository(sessions)

    @provide(scope=Scope.APP)
    def transaction(self, sessions: DatabaseSessions) -> Transaction:
        return SqlTransaction(sessions)


class RedisProvider(Provider):
    @provide(scope=Scope.APP)
    async def client(self, settings: Settings) -> AsyncIterator[Redis]:
        if settings.redis_url is None:
            raise RuntimeError("HOURGLASS_REDIS_URL is not set")
        client = create_redis(
            settings.redis_url,
            timeout_seconds=settings.redis_timeout_seconds,
            cluster=settings.redis_cluster,
        )
        try:
            await check_topology(client)
        except WrongRedisTopology:
            await client.aclose()
            raise
        yield client
        await client.aclose()

    @provide(scope=Scope.APP)
    def guard(self) -> RedisGuard:
        """One circuit breaker for every Redis adapter: they all talk to the same server."""
        return RedisGuard()

    @provide(scope=Scope.APP)
    async def commands(self, client: Redis, settings: Settings) -> AsyncIterator[RedisCommands]:
        """One channel per process for the adapters' single commands: a pipelined
        connection on a plain TCP URL, else redis-py's pool with per-turn batching."""
        assert settings.redis_url is not None  # the client above checked
        if settings.redis_cluster:
            # Each command must go to its slot's primary: redis-py's cluster pipeline
            # splits every turn's batch by node (PipelinedConnection knows one server).
            yield AutoPipeline(client)
            return
        try:
            connection = PipelinedConnection.from_url(
                settings.redis_url, timeout_seconds=settings.redis_timeout_seconds
            )
        except ValueError:
            yield AutoPipeline(client)
            return
        yield connection
        await connection.close()

    @provide(scope=Scope.APP)
    def hot_state(
        self,
        client: Redis,
        settings: Settings,
        policy: TimingPolicy,
        guard: RedisGuard,
        commands: RedisCommands,
        live_updates: RedisLiveUpdates,
    ) -> HotStateStore:
        shared = RedisHotStateStore(
            client,
            prefix=settings.redis_key_prefix,
            network_grace=policy.network_grace,
            guard=guard,
            commands=commands,
        )
        local = LocallyCachedHotState(shared, ttl_seconds=settings.local_hot_state_seconds)
        live_updates.on_every_update(local.announced)
        live_updates.on_listening(local.listening)
        return local

    @provide(scope=Scope.APP)
    async def deadline_index(
        self, client: Redis, settings: Settings, guard: RedisGuard, commands: RedisCommands
    ) -> AsyncIterator[DeadlineIndex]:
        index = BatchedDeadlineIndex(
            RedisDeadlineIndex(
                client, prefix=settings.redis_key_prefix, guard=guard, commands=commands
            ),
            retry_seconds=COOLDOWN_SECONDS,
        )
        yield index
        await index.close()

    @provide(scope=Scope.APP)
    async def live_updates(
        self, client: Redis, settings: Settings, guard: RedisGuard, commands: RedisCommands
    ) -> AsyncIterator[RedisLiveUpdates]:
        updates = RedisLiveUpdates(
            client, prefix=settings.redis_key_prefix, guard=guard, commands=commands
        )
        yield updates
        await updates.close()

    live_updates_port = alias(source=RedisLiveUpdates, provides=LiveUpdates)

    @provide(scope=Scope.APP)
    def sweeper_log(self, client: Redis, settings: Settings, guard: RedisGuard) -> SweeperLog:
        return RedisSweeperLog(client, prefix=settings.redis_key_prefix, guard=guard)


class OperationsProvider(Provider):
    clock = provide(SystemClock, scope=Scope.APP, provides=Clock)

    @provide(scope=Scope.APP)
    def probes(self, engine: AsyncEngine, client: Redis) -> Sequence[Probe]:
        return (PostgresProbe(engine), RedisProbe(client))


class UseCaseProvider(Provider):
    scope = Scope.APP

    services = provide_all(AttemptLoader, AttemptFinaliser, DeadlineChanges)
    # Finalising needs only the ability estimate of the adaptive engines (adaptive_providers).
    scoring = alias(source=AdaptiveEngines, provides=AdaptiveScoring)
    use_cases = provide_all(
        CreateExam,
        ListExams,
        GetExam,
        StartAttempt,
        GetAttempt,
        GetRemainingTime,
        ListQuestions,
        ChangeAnswer,
        SubmitAttempt,
        ListAttemptEvents,
        ExtendTime,
        PauseAttempt,
        ResumeAttempt,
        SetAccommodation,
        ListAccommodations,
        ExpireOverdueAttempts,
        GetAdminStats,
        WatchAttempt,
        ScoreAnswer,
        FinishSection,
        MoveOn,
    )
    readiness = provide(CheckReadiness)


def default_providers() -> tuple[Provider, ...]:
    return (
        SettingsProvider(),
        PostgresProvider(),
        RedisProvider(),
        OperationsProvider(),
        UseCaseProvider(),
        AdaptiveProvider(),
        WriteRateProvider(),
        ReviewProvider(),
        PlatformProvider(),
        DeadlineRefillProvider(),
        WebhookProvider(),
        PsychometricsProvider(),
    )
