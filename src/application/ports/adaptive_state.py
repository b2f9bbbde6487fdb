from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from domain.attempt import LiveAttempt


@dataclass(frozen=True, slots=True, kw_only=True)
class CachedAdaptiveState:
    """An encoded engine state (`AdaptiveState.encode()`) as of the attempt's `version`."""

    version: int
    state: bytes


class AdaptiveStateStore(Protocol):
    """A fast, lossy copy of each adaptive attempt's engine state (Redis).

    It holds administered items, right/wrong bits, theta and se; never a correct key.
    PostgreSQL's responses are the truth: a miss is rebuilt by replaying them. Adapters
    swallow their own outages (a miss, a no-op).
    """

    async def get(self, attempt_id: UUID) -> CachedAdaptiveState | None:
        """The cached state, or None on a miss or an outage."""
        ...

    async def put(self, attempt: LiveAttempt, state: bytes) -> None:
        """Cache `state` as of `attempt.version` until shortly after the attempt would be
        finalised; never replaces a state cached at a higher version."""
        ...

    async def forget(self, attempt_id: UUID) -> None:
        """Drop the state (the attempt is final)."""
        ...
