"""When the sweeper refills the deadline index from PostgreSQL: Redis came back."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

logger = logging.getLogger("hourglass.sweeper")

# How often the sweeper asks Redis for its run_id (one INFO): a restart that no command
# noticed (the breaker stayed closed) is refilled within this plus one sweeper interval.
RUN_ID_CHECK_SECONDS = 1.0


class IndexRefillTrigger:
    """Says when a refill is due: the breaker closed after being open (Redis answers
    again; it may have restarted empty), or Redis's run_id changed (a restart too quick
    for any command to fail). The first run_id seen is only remembered. A refill stays
    due until `refilled()` says it happened (PostgreSQL may be down at that moment)."""

    def __init__(
        self,
        server_run_id: Callable[[], Awaitable[str | None]],
        *,
        check_every_seconds: float = RUN_ID_CHECK_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._server_run_id = server_run_id
        self._check_every = check_every_seconds
        self._clock = clock
        self._was_unavailable = False
        self._run_id: str | None = None
        self._next_check = 0.0
        self._pending = False

    async def due(self, *, redis_unavailable: bool) -> bool:
        """Whether to refill now; call it once per sweeper pass."""
        came_back = self._was_unavailable and not redis_unavailable
        self._was_unavailable = redis_unavailable
        if redis_unavailable:
            return False
        now = self._clock()
        if not came_back and now < self._next_check:
            return self._pending
        self._next_check = now + self._check_every
        run_id = await self._server_run_id()
        if run_id is None:  # it failed again: the breaker will say when it is back
            self._was_unavailable = True
            return False
        restarted = self._run_id is not None and run_id != self._run_id
        self._run_id = run_id
        if restarted:
            logger.info("redis restarted (new run_id): refilling the deadline index")
        elif came_back:
            logger.info("redis is back: refilling the deadline index")
        self._pending = self._pending or came_back or restarted
        return self._pending

    def refilled(self) -> None:
        self._pending = False
