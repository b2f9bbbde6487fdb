"""dishka providers of adaptive attempts: the engine cache, the Redis state, the use cases."""

from __future__ import annotations

from dishka import Provider, Scope, provide, provide_all
from redis.asyncio import Redis

from application.adaptive_engines import AdaptiveEngines
from application.adaptive_progress import AdaptiveProgress
from application.policy import TimingPolicy
from application.ports import AdaptiveStateStore
from application.use_cases.next_item import GetNextItem
from application.use_cases.record_response import RecordResponse
from infrastructure.redis.adaptive_state import RedisAdaptiveStateStore
from infrastructure.redis.commands import RedisCommands
from infrastructure.redis.guard import RedisGuard
from infrastructure.settings import Settings


class AdaptiveProvider(Provider):
    scope = Scope.APP

    # Per process: an engine is built once per exam (its tables cost ~0.15 s at 5,000 items).
    @provide
    def engines(self, settings: Settings) -> AdaptiveEngines:
        return AdaptiveEngines(max_bytes=settings.engine_cache_bytes)

    @provide
    def adaptive_state(
        self,
        client: Redis,
        settings: Settings,
        policy: TimingPolicy,
        guard: RedisGuard,
        commands: RedisCommands,
    ) -> AdaptiveStateStore:
        return RedisAdaptiveStateStore(
            client,
            prefix=settings.redis_key_prefix,
            network_grace=policy.network_grace,
            guard=guard,
            commands=commands,
        )

    progress = provide(AdaptiveProgress)
    use_cases = provide_all(GetNextItem, RecordResponse)
