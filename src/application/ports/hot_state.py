from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from domain.attempt import Attempt


class HotStateStore(Protocol):
    """A fast, lossy copy of attempts in progress (Redis).

    It holds status, timer and version, never answers or correct keys: an attempt read
    from it has an empty answer sheet. Losing it loses nothing; every read may miss, and
    adapters swallow their own outages (a miss, a no-op) so the service keeps working
    from the durable store.
    """

    async def get(self, attempt_id: UUID) -> Attempt | None:
        """The cached attempt without answers, or None on a miss or an outage."""
        ...

    async def put(self, attempt: Attempt) -> None:
        """Cache the attempt until shortly after it would expire; never lowers a cached version."""
        ...

    async def forget(self, attempt_id: UUID) -> None:
        """Drop the attempt once it is final, and refuse a stale `put` of it for a while."""
        ...

    async def forget_all(self, attempt_ids: Sequence[UUID]) -> None:
        """`forget` for a batch of final attempts, in one round trip."""
        ...

    async def stats(self) -> dict[str, object]:
        """Memory and key figures of the hot-state server, for operators ({} when unknown)."""
        ...
