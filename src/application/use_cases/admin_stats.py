from __future__ import annotations

from dataclasses import dataclass

from application.identity import Actor
from application.permissions import ensure_admin
from application.ports import Attempts, DeadlineIndex, HotStateStore, SweeperLog


@dataclass(frozen=True, slots=True, kw_only=True)
class AdminStats:
    active_attempts: int
    redis: dict[str, object]
    sweeper: dict[str, object]


class GetAdminStats:
    """An admin's view of the service: attempts in progress, Redis, the sweeper."""

    def __init__(
        self,
        attempts: Attempts,
        hot_state: HotStateStore,
        deadline_index: DeadlineIndex,
        sweeper_log: SweeperLog,
    ) -> None:
        self._attempts = attempts
        self._hot_state = hot_state
        self._deadline_index = deadline_index
        self._sweeper_log = sweeper_log

    async def __call__(self, actor: Actor) -> AdminStats:
        ensure_admin(actor)
        redis = await self._hot_state.stats()
        redis["scheduled_attempts"] = await self._deadline_index.size()
        return AdminStats(
            active_attempts=await self._attempts.count_in_progress(),
            redis=redis,
            sweeper=await self._sweeper_log.latest(),
        )
