from __future__ import annotations

from typing import Protocol
from uuid import UUID

from domain.adaptive import AdaptiveState
from domain.attempt import LiveAttempt


class AdaptiveStateStore(Protocol):
    """A fast, lossy copy of each adaptive attempt's engine state (Redis).

    It holds administered items, right/wrong bits, theta and se; never a correct key.
    PostgreSQL's responses are the truth: a miss is rebuilt by replaying them. Adapters
    swallow their own outages (a miss, a no-op) and treat a copy they cannot read as a miss.
    """

    async def get(self, attempt_id: UUID) -> AdaptiveState | None:
        """The cached state, or None on a miss, an unreadable copy or an outage."""
        ...

    async def put(self, attempt: LiveAttempt, state: AdaptiveState) -> None:
        """Cache `state` as of `attempt.version` until shortly after the attempt would be
        finalised; never replaces a state cached at a higher version."""
        ...

    async def forget(self, attempt_id: UUID) -> None:
        """Drop the state (the attempt is final)."""
        ...
