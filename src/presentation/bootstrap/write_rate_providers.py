"""The candidates' write-rate limit: in Redis for the whole deployment."""

from __future__ import annotations

from dishka import Provider, Scope, provide
from redis.asyncio import Redis

from application.ports import WriteRateLimit
from infrastructure.local_write_rate import WriteRate
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.redis.write_rate import RedisWriteRateLimit
from infrastructure.settings import Settings


class WriteRateProvider(Provider):
    @provide(scope=Scope.APP)
    def write_rate_limit(
        self, client: Redis, settings: Settings, guard: RedisGuard, commands: RedisCommands
    ) -> WriteRateLimit:
        rate = WriteRate(
            per_second=settings.rate_limit_writes_per_second, burst=settings.rate_limit_burst
        )
        return RedisWriteRateLimit(
            client, prefix=settings.redis_key_prefix, rate=rate, guard=guard, commands=commands
        )
