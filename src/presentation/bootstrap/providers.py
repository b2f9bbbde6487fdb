"""dishka providers, grouped by layer: adapters at app or request scope, then use cases."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import timedelta

from dishka import Provider, Scope, from_context, provide, provide_all
from infrastructure.postgres.attempts import SqlAttemptRepository
from infrastructure.postgres.probe import PostgresProbe
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from application.attempt_access import AttemptLoader
from application.finalisation import AttemptFinaliser
from application.policy import TimingPolicy
from application.ports import (
    AttemptRepository,
    Clock,
    ExamRepository,
    HotStateStore,
    Probe,
    Transaction,
)
from application.use_cases.answer_sheet import ChangeAnswer
from application.use_cases.check_readiness import CheckReadiness
from application.use_cases.create_exam import CreateExam
from application.use_cases.read_attempt import (
    GetAttempt,
    GetRemainingTime,
    ListAttemptEvents,
    ListQuestions,
)
from application.use_cases.read_exams import GetExam, ListExams
from application.use_cases.start_attempt import StartAttempt
from application.use_cases.submit_attempt import SubmitAttempt
from infrastructure.clock import SystemClock
from infrastructure.postgres.database import create_engine, create_sessionmaker
from infrastructure.postgres.exams import ExamCache, SqlExamRepository
from infrastructure.postgres.transaction import SqlTransaction
from infrastructure.redis.client import create_redis
from infrastructure.redis.hot_state import RedisHotStateStore
from infrastructure.redis.probe import RedisProbe
from infrastructure.settings import Settings


class SettingsProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def timing_policy(self, settings: Settings) -> TimingPolicy:
        return TimingPolicy(network_grace=timedelta(seconds=settings.network_grace_seconds))


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

    exam_cache = provide(ExamCache, scope=Scope.APP)

    @provide(scope=Scope.REQUEST)
    async def session(
        self, sessionmaker: async_sessionmaker[AsyncSession]
    ) -> AsyncIterator[AsyncSession]:
        async with sessionmaker() as session:
            yield session

    @provide(scope=Scope.REQUEST)
    def exams(self, session: AsyncSession, cache: ExamCache) -> ExamRepository:
        return SqlExamRepository(session, cache)

    @provide(scope=Scope.REQUEST)
    def attempts(self, session: AsyncSession) -> AttemptRepository:
        return SqlAttemptRepository(session)

    @provide(scope=Scope.REQUEST)
    def transaction(self, session: AsyncSession) -> Transaction:
        return SqlTransaction(session)


class RedisProvider(Provider):
    @provide(scope=Scope.APP)
    async def client(self, settings: Settings) -> AsyncIterator[Redis]:
        if settings.redis_url is None:
            raise RuntimeError("HOURGLASS_REDIS_URL is not set")
        client = create_redis(settings.redis_url, timeout_seconds=settings.redis_timeout_seconds)
        yield client
        await client.aclose()

    @provide(scope=Scope.APP)
    def hot_state(self, client: Redis, settings: Settings, policy: TimingPolicy) -> HotStateStore:
        return RedisHotStateStore(
            client, prefix=settings.redis_key_prefix, network_grace=policy.network_grace
        )


class OperationsProvider(Provider):
    clock = provide(SystemClock, scope=Scope.APP, provides=Clock)

    @provide(scope=Scope.APP)
    def probes(self, engine: AsyncEngine, client: Redis) -> Sequence[Probe]:
        return (PostgresProbe(engine), RedisProbe(client))


class UseCaseProvider(Provider):
    scope = Scope.REQUEST

    services = provide_all(AttemptLoader, AttemptFinaliser)
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
    )
    readiness = provide(CheckReadiness, scope=Scope.APP)


def default_providers() -> tuple[Provider, ...]:
    return (
        SettingsProvider(),
        PostgresProvider(),
        RedisProvider(),
        OperationsProvider(),
        UseCaseProvider(),
    )
